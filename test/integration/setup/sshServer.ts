import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { userInfo } from 'node:os';
import * as path from 'node:path';
import { freeLoopbackPort } from './network';
import {
  daemonPath,
  findExecutable,
  harnessStateDir,
  isRunning,
  pruneOrphanedRecords,
  runTool,
  startBackground,
  stopProcess,
  tailOfFile,
  waitFor,
  type BackgroundProcess,
} from './processes';

/**
 * An OpenSSH server on loopback in front of the local Docker engine: `DOCKER_HOST=ssh://…` reaches the
 * engine through it (`docker system dial-stdio` runs in the remote session), as it would a remote machine.
 */
export interface SshServerEnv {
  /** Always `127.0.0.1`. */
  readonly host: string;
  readonly port: number;
  /** The user running the tests: sshd (root or not) can only log in the user it runs as, or anyone as root. */
  readonly username: string;
  /** `ssh://<username>@127.0.0.1:<port>`. */
  readonly dockerHost: string;
  /** The private key (ed25519, OpenSSH format, no passphrase) of the only client key the server accepts. */
  readonly clientKeyFile: string;
}

export interface RunningSshServer {
  readonly env: SshServerEnv;
  readonly pid: number;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const SSHD_COMMAND = 'sshd';
const APT_PACKAGE = 'openssh-server';
const START_ATTEMPTS = 3;
/** sshd run as root insists on this (empty, root-owned) directory for its privilege-separated child. */
const PRIVSEP_DIR = '/run/sshd';

/** Where a run records its sshd, so a later run can clean up after a crash. */
interface SshServerRecord {
  readonly ownerPid: number;
  readonly sshdPid: number;
  readonly dir: string;
}

/**
 * Starts `sshd -D -e` on a free loopback port with a throw-away host key and one throw-away client key
 * (authorized for the current user), and resolves once a real `ssh … docker version` through it reaches
 * the engine. Sessions get `remoteEnv` (the engine's `DOCKER_HOST` & co.) and the daemon PATH, so the
 * remote `docker` is found and talks to the same engine as the tests.
 */
export async function startSshServer(options: {
  remoteEnv: Readonly<Record<string, string>>;
}): Promise<RunningSshServer> {
  const sshd = findExecutable(SSHD_COMMAND, APT_PACKAGE);
  const dir = mkdtempSync(path.join(harnessStateDir('sshd'), `run-${process.pid}-`));
  try {
    const username = userInfo().username;
    if (process.getuid?.() === 0) mkdirSync(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
    const hostKeyFile = await generateSshKey(path.join(dir, 'host_ed25519'));
    const clientKeyFile = await generateSshKey(path.join(dir, 'client', 'id_ed25519'));
    writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(`${clientKeyFile}.pub`), { mode: 0o600 });
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      const configFile = writeConfig(dir, port, hostKeyFile, { PATH: daemonPath(), ...options.remoteEnv });
      // sshd re-executes itself for every connection, which needs the absolute path findExecutable gives.
      const server = await startBackground(sshd, ['-D', '-e', '-f', configFile], {
        logFile: path.join(dir, 'sshd.log'),
        detached: false,
      });
      const record: SshServerRecord = { ownerPid: process.pid, sshdPid: server.pid, dir };
      writeFileSync(recordFile(server.pid), JSON.stringify(record));
      try {
        await waitForBanner(port, server);
      } catch (error) {
        await stopSshServerProcess(record);
        // Another process can take the port between our probe and sshd's bind; try another one.
        if (attempt < START_ATTEMPTS) continue;
        throw error;
      }
      const env: SshServerEnv = {
        host: HOST,
        port,
        username,
        dockerHost: `ssh://${username}@${HOST}:${port}`,
        clientKeyFile,
      };
      try {
        await checkRemoteDocker(env, server);
      } catch (error) {
        await stopSshServer(record);
        throw error;
      }
      return { env, pid: server.pid, stop: () => stopSshServer(record) };
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Stops sshd servers (and deletes their keys) that test runs which no longer exist left behind. */
export async function pruneStaleSshServers(): Promise<void> {
  await pruneOrphanedRecords(harnessStateDir('sshd', 'records'), stopSshServer);
}

/** A new ed25519 key pair without passphrase at `file` (+ `file.pub`, mode 0600); returns `file`. */
export async function generateSshKey(file: string): Promise<string> {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  await runTool(findExecutable('ssh-keygen', 'openssh-client'), [
    ...['-q', '-t', 'ed25519', '-N', '', '-C', 'acrtest'],
    ...['-f', file],
  ]);
  return file;
}

async function stopSshServer(record: SshServerRecord): Promise<void> {
  await stopSshServerProcess(record);
  rmSync(record.dir, { recursive: true, force: true });
}

async function stopSshServerProcess(record: SshServerRecord): Promise<void> {
  // Only the listener; sessions still open end with their connections (all of them the tests' own).
  if (isRunning(record.sshdPid, SSHD_COMMAND)) await stopProcess(record.sshdPid, 10_000);
  rmSync(recordFile(record.sshdPid), { force: true });
}

function recordFile(sshdPid: number): string {
  return path.join(harnessStateDir('sshd', 'records'), `${sshdPid}.json`);
}

function writeConfig(dir: string, port: number, hostKeyFile: string, sessionEnv: Record<string, string>): string {
  const setEnv = Object.entries(sessionEnv).map(([name, value]) => {
    if (/["\n]/.test(value)) throw new Error(`cannot pass ${name} to ssh sessions: its value holds " or a newline`);
    return `"${name}=${value}"`;
  });
  const lines = [
    `ListenAddress ${HOST}`,
    `Port ${port}`,
    `HostKey ${hostKeyFile}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    // Keys only, from our own file; the state dir's permissions would fail StrictModes' ownership checks.
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // CI runs as root; keys are allowed, passwords are off anyway.
    'PermitRootLogin prohibit-password',
    // The remote session's PATH and DOCKER_HOST decide which `docker` runs `system dial-stdio`, and where to.
    `SetEnv ${setEnv.join(' ')}`,
    // Authentication failures appear in the log with the key that was offered.
    'LogLevel VERBOSE',
  ];
  const file = path.join(dir, 'sshd_config');
  writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 });
  return file;
}

/** Resolves once sshd accepts connections and greets with its `SSH-2.0-` identification. */
async function waitForBanner(port: number, server: BackgroundProcess): Promise<void> {
  await waitFor(`sshd to greet on ${HOST}:${port}`, () => greets(port), { timeoutMs: 30_000, process: server });
}

function greets(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    const done = (value: true | undefined): void => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(2_000, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('data', (chunk: Buffer) => done(chunk.toString('latin1').startsWith('SSH-') ? true : undefined));
  });
}

/** The real ssh client logs in with the client key and runs `docker version`: the whole path works. */
async function checkRemoteDocker(env: SshServerEnv, server: BackgroundProcess): Promise<void> {
  const ssh = findExecutable('ssh', 'openssh-client');
  try {
    await runTool(ssh, [
      ...['-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none'],
      ...['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'],
      ...['-i', env.clientKeyFile, '-p', String(env.port), `${env.username}@${HOST}`],
      "docker version --format '{{.Server.Version}}'",
    ]);
  } catch (error) {
    throw new Error(
      `ssh to the test sshd on ${HOST}:${env.port} could not run docker there: ${(error as Error).message}\n` +
        `sshd log ${server.logFile}:\n${tailOfFile(server.logFile)}`,
      { cause: error },
    );
  }
}
