import { rmSync } from 'node:fs';
import * as path from 'node:path';
import Dockerode from 'dockerode';
import { acquireDaemon, type DaemonLease } from './sharedDaemon';
import { findExecutable, harnessStateDir, isRunning, readPidFile, startBackground, waitFor } from './processes';

/** A Docker engine the tests may use, and how to point other programs (our CLI, the docker CLI) at it. */
export interface DockerEnv {
  /** Client for the harness and for tests; every call goes to this engine. */
  readonly docker: Dockerode;
  /** Explicit dockerode options for this engine, for code under test that builds its own client. */
  readonly dockerodeOptions: Dockerode.DockerOptions;
  /** `DOCKER_HOST` value for this engine, e.g. `unix:///var/run/docker.sock` or `tcp://127.0.0.1:41234`. */
  readonly dockerHost: string;
  /** Environment for child processes (`DOCKER_HOST`, plus `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH` for TLS). */
  readonly processEnv: Readonly<Record<string, string>>;
  /** True when the harness started this engine (it stops it after the last test run leaves). */
  readonly startedByHarness: boolean;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';
const DEFAULT_PIDFILE = '/var/run/docker.pid';
const PROBE_TIMEOUT_MS = 3_000;
const START_TIMEOUT_MS = 90_000;

/** Answers true when the engine behind these options responds to `GET /_ping`. */
export async function pings(options: Dockerode.DockerOptions): Promise<boolean> {
  try {
    const reply: unknown = await new Dockerode({ ...options, timeout: PROBE_TIMEOUT_MS }).ping();
    return String(reply) === 'OK';
  } catch {
    return false;
  }
}

/**
 * Leases the local engine: `DOCKER_HOST` when set (it must answer: we never start a second engine behind
 * the user's explicit choice), else `/var/run/docker.sock` if it answers, else a `dockerd` that the harness
 * starts with the default data root so that images persist between runs on a machine.
 */
export async function leaseLocalEngine(): Promise<{ env: DockerEnv; lease: DaemonLease<unknown> }> {
  const fromEnvironment = process.env.DOCKER_HOST;
  if (fromEnvironment) {
    const docker = new Dockerode();
    if (!(await pings(optionsOf(docker)))) {
      throw new Error(
        `DOCKER_HOST=${fromEnvironment} does not answer /_ping. Start that engine, or unset DOCKER_HOST to let the test harness start dockerd.`,
      );
    }
    const env = describeEngine(docker, fromEnvironment, false);
    return { env, lease: { info: undefined, startedByHarness: false, release: () => Promise.resolve() } };
  }
  const socketOptions: Dockerode.DockerOptions = { socketPath: DEFAULT_SOCKET };
  const lease = await acquireDaemon({
    name: 'dockerd',
    commandName: 'dockerd',
    probe: async () => ((await pings(socketOptions)) ? true : undefined),
    start: startLocalDockerd,
  });
  const env = describeEngine(new Dockerode(socketOptions), `unix://${DEFAULT_SOCKET}`, lease.startedByHarness);
  return { env, lease };
}

async function startLocalDockerd(recordOwned: (pid: number) => void): Promise<true> {
  const socketOptions: Dockerode.DockerOptions = { socketPath: DEFAULT_SOCKET };
  const recordedPid = readPidFile(DEFAULT_PIDFILE);
  if (isRunning(recordedPid, 'dockerd')) {
    // A dockerd we did not start is alive but not answering yet: most likely another tool is starting it.
    await waitFor(
      `dockerd (pid ${recordedPid}, not started by the test harness) to answer on ${DEFAULT_SOCKET}`,
      async () => ((await pings(socketOptions)) ? true : undefined),
      { timeoutMs: START_TIMEOUT_MS },
    );
    return true;
  }
  // dockerd refuses to start over a pid file whose pid is alive, even when the pid now belongs to another
  // program; a stale socket file is fine (dockerd unlinks it before listening).
  if (recordedPid !== undefined) {
    rmSync(DEFAULT_PIDFILE, { force: true });
  }
  const daemon = await startBackground(
    findExecutable('dockerd', 'docker.io'),
    ['--host', `unix://${DEFAULT_SOCKET}`, '--pidfile', DEFAULT_PIDFILE],
    { logFile: path.join(harnessStateDir('dockerd'), 'dockerd.log'), detached: true },
  );
  recordOwned(daemon.pid);
  await waitFor(
    `dockerd to answer on ${DEFAULT_SOCKET}`,
    async () => ((await pings(socketOptions)) ? true : undefined),
    {
      timeoutMs: START_TIMEOUT_MS,
      process: daemon,
    },
  );
  return true;
}

/** The explicit connection options a dockerode client resolved (from arguments or the environment). */
export function optionsOf(docker: Dockerode): Dockerode.DockerOptions {
  const modem = docker.modem as unknown as Record<string, unknown>;
  if (typeof modem.socketPath === 'string') {
    return { socketPath: modem.socketPath };
  }
  const options: Dockerode.DockerOptions = {
    host: modem.host as string,
    port: modem.port as string | number,
    protocol: modem.protocol as Dockerode.DockerOptions['protocol'],
  };
  for (const key of ['ca', 'cert', 'key'] as const) {
    if (modem[key] !== undefined) {
      (options as Record<string, unknown>)[key] = modem[key];
    }
  }
  return options;
}

function describeEngine(docker: Dockerode, dockerHost: string, startedByHarness: boolean): DockerEnv {
  const processEnv: Record<string, string> = { DOCKER_HOST: dockerHost };
  for (const name of ['DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH'] as const) {
    const value = process.env[name];
    if (value && !dockerHost.startsWith('unix://')) {
      processEnv[name] = value;
    }
  }
  return { docker, dockerodeOptions: optionsOf(docker), dockerHost, processEnv, startedByHarness };
}
