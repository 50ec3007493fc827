/**
 * Reaching (and failing to reach) real engines: the TLS engine through DOCKER_HOST/DOCKER_TLS_VERIFY/
 * DOCKER_CERT_PATH and through a Docker context, and clear EngineUnreachableErrors for a missing socket,
 * a refused port, TLS mistakes and an engine that never answers.
 */
import { deepStrictEqual, rejects } from 'node:assert';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';

import { EngineUnreachableError } from '../../../server/src/engine/ContainerRuntime';
import { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { readFileIfExists, type EndpointSetting } from '../../../server/src/engine/dockerEndpoint';
import { getTlsDocker, type TlsDockerEnv } from '../setup';
import { generateTlsCertificates } from '../setup/certificates';
import { testSignal } from './runtimeFixtures';

function connect(setting: EndpointSetting, env: Record<string, string>, home = homedir(), infoTimeoutMs?: number) {
  return DockerodeRuntime.fromEnvironment(setting, infoTimeoutMs ? { infoTimeoutMs } : {}, {
    env,
    homeDir: home,
    readFile: readFileIfExists,
  });
}

async function unreachable(runtime: Promise<DockerodeRuntime>): Promise<{ endpoint: string; reason: string }> {
  let caught: unknown;
  try {
    await (await runtime).info(testSignal());
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof EngineUnreachableError))
    throw new Error(`expected EngineUnreachableError, got ${String(caught)}`);
  return { endpoint: caught.endpoint, reason: caught.reason };
}

describe('DockerodeRuntime endpoints (real engines)', function () {
  let tls: TlsDockerEnv;
  let scratch: string;

  before(async function () {
    tls = await getTlsDocker();
    scratch = mkdtempSync(path.join(tmpdir(), 'endpoint-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('reaches the TLS engine from DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH', async () => {
    const info = await (await connect({}, { ...tls.processEnv })).info(testSignal());
    deepStrictEqual(
      { endpoint: info.endpoint, local: info.localSocketPath },
      { endpoint: `tcp://127.0.0.1:${tls.port} (TLS)`, local: undefined },
    );
  });

  it('reaches the TLS engine through a Docker context (meta.json + tls/ material), over a DOCKER_HOST pointing elsewhere', async () => {
    const home = path.join(scratch, 'home');
    const sha = createHash('sha256').update('remote-tls').digest('hex');
    const meta = path.join(home, '.docker/contexts/meta', sha);
    const tlsDir = path.join(home, '.docker/contexts/tls', sha, 'docker');
    mkdirSync(meta, { recursive: true });
    mkdirSync(tlsDir, { recursive: true });
    writeFileSync(
      path.join(meta, 'meta.json'),
      JSON.stringify({
        Name: 'remote-tls',
        Metadata: {},
        Endpoints: { docker: { Host: `tcp://127.0.0.1:${tls.port}`, SkipTLSVerify: false } },
      }),
    );
    for (const file of ['ca.pem', 'cert.pem', 'key.pem'])
      cpSync(path.join(tls.certificates.clientDir, file), path.join(tlsDir, file));
    const info = await (
      await connect({ context: 'remote-tls' }, { DOCKER_HOST: 'unix:///nowhere.sock' }, home)
    ).info(testSignal());
    deepStrictEqual(info.endpoint, `tcp://127.0.0.1:${tls.port} (TLS) (context "remote-tls")`);
  });

  it('a missing socket', async () => {
    deepStrictEqual(await unreachable(connect({ host: `unix://${scratch}/docker.sock` }, {})), {
      endpoint: `unix://${scratch}/docker.sock`,
      reason: `the socket ${scratch}/docker.sock does not exist (is dockerd running?)`,
    });
  });

  it('a refused port', async () => {
    deepStrictEqual(await unreachable(connect({ host: 'tcp://127.0.0.1:1' }, {})), {
      endpoint: 'tcp://127.0.0.1:1',
      reason: 'connection refused by 127.0.0.1:1 (nothing is listening there)',
    });
  });

  it('the TLS engine spoken to without TLS', async () => {
    deepStrictEqual(await unreachable(connect({}, { DOCKER_HOST: `tcp://127.0.0.1:${tls.port}` })), {
      endpoint: `tcp://127.0.0.1:${tls.port}`,
      reason: `127.0.0.1:${tls.port} speaks TLS but we connected without it (set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)`,
    });
  });

  it('the TLS engine verified against the wrong CA', async () => {
    const other = await generateTlsCertificates(path.join(scratch, 'other-pki'));
    const failure = await unreachable(connect({}, { ...tls.processEnv, DOCKER_CERT_PATH: other.clientDir }));
    deepStrictEqual(
      {
        endpoint: failure.endpoint,
        isTls: /^TLS failure talking to 127\.0\.0\.1:\d+: .* \([A-Z_]+\)$/.test(failure.reason),
      },
      { endpoint: `tcp://127.0.0.1:${tls.port} (TLS)`, isTls: true },
    );
  });

  it('an engine that accepts connections but never answers', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      deepStrictEqual(await unreachable(connect({ host: `tcp://127.0.0.1:${port}` }, {}, homedir(), 300)), {
        endpoint: `tcp://127.0.0.1:${port}`,
        reason: 'no answer within 0.3 s',
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('an unknown context', async () => {
    const failure = await unreachable(connect({ context: 'absent' }, { DOCKER_CONFIG: path.join(scratch, 'cfg') }));
    deepStrictEqual(failure.endpoint, 'context "absent"');
  });

  it('the caller cancelling a call gets its own reason back', async () => {
    const runtime = await connect({}, { ...tls.processEnv });
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await rejects(runtime.info(controller.signal), (error: unknown) => error === reason);
  });
});
