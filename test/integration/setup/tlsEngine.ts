import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Dockerode from 'dockerode';
import { certificatesIn, generateTlsCertificates, type TlsCertificates } from './certificates';
import { pings, type DockerEnv } from './dockerEngine';
import {
  findExecutable,
  harnessStateDir,
  isRunning,
  readPidFile,
  runTool,
  startBackground,
  stopProcess,
  waitFor,
} from './processes';
import { freeLoopbackPort } from './network';
import { acquireDaemon, type DaemonLease } from './sharedDaemon';

/** A second engine, reached over TCP with mutual TLS: the "remote engine" of the tests. */
export interface TlsDockerEnv extends DockerEnv {
  /** Always `127.0.0.1`. */
  readonly host: string;
  readonly port: number;
  /** CA, client and server certificate files; `certificates.clientDir` is a valid `DOCKER_CERT_PATH`. */
  readonly certificates: TlsCertificates;
}

interface Endpoint {
  readonly port: number;
}

const NAME = 'dockerd-tls';
const HOST = '127.0.0.1';
/**
 * The engine needs its own bridge: with `--bridge=none` dockerd deletes the interface named docker0 at start,
 * which breaks the first engine's default network. With `--iptables=false` it leaves the first engine's
 * NAT rules alone; its networks have no outbound NAT, which offline tests do not need.
 */
const BRIDGE = 'acrtest-br0';
const BRIDGE_ADDRESS = '10.212.0.1/24';
/** User-defined networks of this engine come from here, so they never overlap the first engine's 172.x ones. */
const ADDRESS_POOL = 'base=10.213.0.0/16,size=24';

/** Leases the TLS engine, starting it (with fresh certificates) when it is not running. */
export async function leaseTlsEngine(): Promise<{ env: TlsDockerEnv; lease: DaemonLease<Endpoint> }> {
  const dir = harnessStateDir(NAME);
  const certificatesDir = path.join(dir, 'certs');
  const lease = await acquireDaemon<Endpoint>({
    name: NAME,
    commandName: 'dockerd',
    probe: () => probeRecordedEndpoint(dir, certificatesDir),
    start: (recordOwned) => startTlsDockerd(dir, certificatesDir, recordOwned),
    afterStop: deleteBridge,
  });
  const certificates = certificatesIn(certificatesDir);
  const options = dockerodeOptions(lease.info.port, certificates);
  const dockerHost = `tcp://${HOST}:${lease.info.port}`;
  return {
    env: {
      docker: new Dockerode(options),
      dockerodeOptions: options,
      dockerHost,
      processEnv: { DOCKER_HOST: dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certificates.clientDir },
      startedByHarness: lease.startedByHarness,
      host: HOST,
      port: lease.info.port,
      certificates,
    },
    lease,
  };
}

function dockerodeOptions(port: number, certificates: TlsCertificates): Dockerode.DockerOptions {
  return {
    host: HOST,
    port,
    protocol: 'https',
    ca: readFileSync(certificates.caFile),
    cert: readFileSync(certificates.clientCertFile),
    key: readFileSync(certificates.clientKeyFile),
  };
}

async function probeRecordedEndpoint(dir: string, certificatesDir: string): Promise<Endpoint | undefined> {
  try {
    const endpoint = JSON.parse(readFileSync(path.join(dir, 'endpoint.json'), 'utf8')) as Endpoint;
    const certificates = certificatesIn(certificatesDir);
    if (!existsSync(certificates.clientKeyFile)) {
      return undefined;
    }
    return (await pings(dockerodeOptions(endpoint.port, certificates))) ? endpoint : undefined;
  } catch {
    return undefined;
  }
}

async function startTlsDockerd(
  dir: string,
  certificatesDir: string,
  recordOwned: (pid: number) => void,
): Promise<Endpoint> {
  const pidFile = path.join(dir, 'docker.pid');
  // A run that crashed while starting this engine can leave it alive without an owner record; its data
  // root is locked until it goes.
  const leftover = readPidFile(pidFile);
  if (isRunning(leftover, 'dockerd')) {
    await stopProcess(leftover);
  }
  // With --default-address-pool, a dockerd that finds its old default network in its network store deletes
  // the interface named docker0 (hard-coded, moby daemon_unix.go initNetworkController), which belongs to
  // the first engine. Starting without the old store avoids that; images in the data root are kept.
  rmSync(path.join(dir, 'data', 'network'), { recursive: true, force: true });
  const certificates = await generateTlsCertificates(certificatesDir);
  await ensureBridge();
  const port = await freeLoopbackPort();
  // Its own (empty) daemon.json: settings in /etc/docker/daemon.json such as "hosts" are meant for the
  // machine's main engine and could stop this one from starting.
  const configFile = path.join(dir, 'daemon.json');
  writeFileSync(configFile, '{}\n');
  const daemon = await startBackground(
    findExecutable('dockerd', 'docker.io'),
    [
      ...[
        '--config-file',
        configFile,
        '--data-root',
        path.join(dir, 'data'),
        '--exec-root',
        path.join(dir, 'exec'),
        '--pidfile',
        pidFile,
      ],
      ...['--host', `tcp://${HOST}:${port}`, '--tlsverify', '--tlscacert', certificates.caFile],
      ...['--tlscert', certificates.serverCertFile, '--tlskey', certificates.serverKeyFile],
      ...['--bridge', BRIDGE, '--iptables=false', '--ip-masq=false', '--default-address-pool', ADDRESS_POOL],
    ],
    { logFile: path.join(dir, 'dockerd.log'), detached: true },
  );
  recordOwned(daemon.pid);
  const options = dockerodeOptions(port, certificates);
  await waitFor(
    `the TLS dockerd to answer on ${HOST}:${port}`,
    async () => ((await pings(options)) ? true : undefined),
    {
      timeoutMs: 90_000,
      process: daemon,
    },
  );
  const endpoint: Endpoint = { port };
  writeFileSync(path.join(dir, 'endpoint.json'), JSON.stringify(endpoint));
  return endpoint;
}

async function ensureBridge(): Promise<void> {
  const ip = findExecutable('ip', 'iproute2');
  try {
    await runTool(ip, ['link', 'show', BRIDGE]);
  } catch {
    await runTool(ip, ['link', 'add', BRIDGE, 'type', 'bridge']);
  }
  await runTool(ip, ['address', 'replace', BRIDGE_ADDRESS, 'dev', BRIDGE]);
  await runTool(ip, ['link', 'set', BRIDGE, 'up']);
}

async function deleteBridge(): Promise<void> {
  const ip = findExecutable('ip', 'iproute2');
  try {
    await runTool(ip, ['link', 'show', BRIDGE]);
  } catch {
    return;
  }
  await runTool(ip, ['link', 'delete', BRIDGE]);
}
