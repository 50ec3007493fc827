import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * Machine-wide folder for the harness's state (daemon logs, leases, pid records). Fixed rather than per run
 * so that a run can find and clean up what a crashed earlier run left behind.
 */
export function harnessStateDir(...parts: string[]): string {
  const dir = path.join(tmpdir(), 'acrtest-infra', ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** True when a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The kernel's short command name of a live process (`/proc/<pid>/comm`, 15 characters at most). */
export function commandNameOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** True when `pid` is alive and runs `commandName`: guards against signalling a recycled pid. */
export function isRunning(pid: number | undefined, commandName: string): pid is number {
  return pid !== undefined && pid > 0 && isAlive(pid) && commandNameOf(pid) === commandName.slice(0, 15);
}

/** Reads a pid file; undefined when it is missing or does not hold a number. */
export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** PATH for daemons: dockerd finds containerd, runc and iptables in the sbin folders, which a user PATH may lack. */
export function daemonPath(): string {
  return [process.env.PATH, SYSTEM_PATH].filter(Boolean).join(':');
}

/** Absolute path of an executable on the daemon PATH, or an error that names the apt package to install. */
export function findExecutable(name: string, aptPackage: string): string {
  for (const dir of daemonPath().split(':')) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error(`${name} is not installed; install it with: apt-get install -y ${aptPackage}`);
}

export interface BackgroundProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly logFile: string;
  /** Settles when the process exits; never rejects. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a long-running program with its output going to `logFile` (truncated first).
 * `detached` puts it in its own session so a Ctrl-C in the terminal does not kill a daemon that another
 * concurrent test run may still be using; the lease protocol stops it instead.
 */
export async function startBackground(
  command: string,
  args: readonly string[],
  options: { logFile: string; detached: boolean; cwd?: string },
): Promise<BackgroundProcess> {
  const logFd = openSync(options.logFile, 'w');
  try {
    const child = spawn(command, args, {
      stdio: ['ignore', logFd, logFd],
      detached: options.detached,
      cwd: options.cwd ?? '/',
      env: { ...process.env, PATH: daemonPath() },
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    // The harness must not keep mocha alive; the daemon's lifetime is managed explicitly.
    child.unref();
    return { child, pid: child.pid!, logFile: options.logFile, exited };
  } finally {
    closeSync(logFd);
  }
}

/** The last lines of a log file, for error messages. */
export function tailOfFile(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Polls `probe` until it returns a value. The things we wait for (a socket starting to answer, a process
 * disappearing) have no event we could subscribe to, so polling at a short interval is the event.
 * Fails early when `process` exits, quoting its log.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; process?: BackgroundProcess; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void options.process?.exited.then((result) => (exited = result));
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (exited) {
      const log = tailOfFile(options.process!.logFile);
      throw new Error(
        `${what}: the process exited (code ${exited.code}, signal ${exited.signal}). Log ${options.process!.logFile}:\n${log}`,
      );
    }
    if (Date.now() > deadline) {
      const log = options.process ? `\nLog ${options.process.logFile}:\n${tailOfFile(options.process.logFile)}` : '';
      throw new Error(`${what}: timed out after ${options.timeoutMs} ms${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

/** Stops a process with SIGTERM, then SIGKILL after `graceMs`, and resolves once it is gone. */
export async function stopProcess(pid: number, graceMs = 30_000): Promise<void> {
  if (!isAlive(pid)) {
    return;
  }
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const gone = (): Promise<true | undefined> => Promise.resolve(isAlive(pid) ? undefined : true);
  try {
    await waitFor(`process ${pid} to stop`, gone, { timeoutMs: graceMs });
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    await waitFor(`process ${pid} to die`, gone, { timeoutMs: 10_000 });
  }
}

/**
 * Runs a short tool to completion. `input` goes to stdin, which is how secrets reach tools (never argv);
 * `env` adds to (or overrides) this process's environment.
 * Rejects with the tool's stderr when it exits non-zero.
 */
export async function runTool(
  command: string,
  args: readonly string[],
  options: { input?: string; cwd?: string; env?: Readonly<Record<string, string>> } = {},
): Promise<string> {
  const child = spawn(command, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: options.cwd,
    env: { ...process.env, PATH: daemonPath(), ...options.env },
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  // A tool that exits without reading stdin makes the write fail with EPIPE; its exit code tells the story.
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.input ?? '');
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${code}: ${Buffer.concat(stderr).toString().trim()}`);
  }
  return Buffer.concat(stdout).toString();
}

/**
 * Daemons started per test run (registries, sshd) leave a JSON record naming the test process that owns
 * them; `stop` is called for each record whose owner is gone (an unreadable record is deleted).
 */
export async function pruneOrphanedRecords<T extends { ownerPid: number }>(
  recordsDir: string,
  stop: (record: T) => Promise<void>,
): Promise<void> {
  for (const name of readdirSync(recordsDir)) {
    let record: T;
    try {
      record = JSON.parse(readFileSync(path.join(recordsDir, name), 'utf8')) as T;
    } catch {
      rmSync(path.join(recordsDir, name), { force: true });
      continue;
    }
    if (!isAlive(record.ownerPid)) await stop(record);
  }
}
