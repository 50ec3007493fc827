/**
 * Real parts for integration tests, started lazily on first use and released by the root hooks
 * (hooks.ts) after the last test: a local Docker engine with the busybox base image, a registry with
 * htpasswd auth on loopback, a second engine over TCP with mutual TLS, and an sshd on loopback in front of
 * the local engine (for `ssh://` endpoints).
 *
 * Tests call `getDocker()`, `getRegistry()`, `getTlsDocker()` or `getSshServer()` in a `before` hook; a run
 * that calls none of them pays nothing.
 */
import { leaseLocalEngine, type DockerEnv } from './dockerEngine';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from './images';
import { startRegistry, type RegistryEnv } from './registry';
import { startSshServer, type SshServerEnv } from './sshServer';
import { leaseTlsEngine, type TlsDockerEnv } from './tlsEngine';

export type { DockerEnv } from './dockerEngine';
export type { RegistryEnv } from './registry';
export type { TlsDockerEnv } from './tlsEngine';
export type { SshServerEnv } from './sshServer';
export { generateSshKey } from './sshServer';
export { startSshAgent, type RunningSshAgent } from './sshAgent';
export type { TlsCertificates } from './certificates';
export { BUSYBOX_IMAGE, REQUIRED_APPLETS, ensureBusyboxImage, type BusyboxImageOptions } from './images';
export {
  DockerProgressError,
  buildImage,
  collectProgress,
  packContext,
  pullImage,
  pushImage,
  runContainer,
  type ContainerResult,
  type ProgressEvent,
  type RegistryAuth,
} from './dockerStreams';

let localEngine: Promise<DockerEnv> | undefined;
let registry: Promise<RegistryEnv> | undefined;
let tlsEngine: Promise<TlsDockerEnv> | undefined;
let sshServer: Promise<SshServerEnv> | undefined;
/** What to undo after the last test, in the order things were started. */
const releases: Array<() => Promise<void>> = [];
/** Set once the run is interrupted: nothing new may start while (or after) the harness cleans up. */
let shuttingDown = false;

function refuseWhenShuttingDown(): void {
  if (shuttingDown) {
    throw new Error('the test run was interrupted; the integration test infrastructure is shutting down');
  }
}

/**
 * The local Docker engine (`DOCKER_HOST`, `/var/run/docker.sock`, or a dockerd the harness starts), with
 * {@link BUSYBOX_IMAGE} present. The same promise for every caller in a run.
 */
export function getDocker(): Promise<DockerEnv> {
  localEngine ??= (async () => {
    refuseWhenShuttingDown();
    const { env, lease } = await leaseLocalEngine();
    releases.push(() => lease.release());
    await ensureBusyboxImage(env.docker, BUSYBOX_IMAGE);
    return env;
  })();
  return localEngine;
}

/** A registry on `127.0.0.1:<free port>` with htpasswd auth and empty storage, private to this run. */
export function getRegistry(): Promise<RegistryEnv> {
  registry ??= (async () => {
    refuseWhenShuttingDown();
    const running = await startRegistry();
    releases.push(() => running.stop());
    return running.env;
  })();
  return registry;
}

/**
 * A second engine on `tcp://127.0.0.1:<port>` that demands client certificates (the "remote engine"),
 * with {@link BUSYBOX_IMAGE} present. It has its own data root and bridge, and no outbound NAT.
 */
export function getTlsDocker(): Promise<TlsDockerEnv> {
  tlsEngine ??= (async () => {
    refuseWhenShuttingDown();
    const { env, lease } = await leaseTlsEngine();
    releases.push(() => lease.release());
    await ensureBusyboxImage(env.docker, BUSYBOX_IMAGE);
    return env;
  })();
  return tlsEngine;
}

/**
 * An sshd on `127.0.0.1:<free port>` whose sessions reach the local engine ({@link getDocker}), so
 * `DOCKER_HOST=<dockerHost>` works through `docker system dial-stdio`. It accepts only
 * `clientKeyFile`, for the user running the tests.
 */
export function getSshServer(): Promise<SshServerEnv> {
  sshServer ??= (async () => {
    refuseWhenShuttingDown();
    const engine = await getDocker();
    const running = await startSshServer({ remoteEnv: engine.processEnv });
    releases.push(() => running.stop());
    return running.env;
  })();
  return sshServer;
}

/**
 * Stops what this run started (sshd, registry, then engines nobody else uses) and forgets it, so a later call
 * starts afresh. Waits for parts that are still starting, so they are stopped too. Every release runs even
 * when one fails; the failures are reported together.
 */
export async function releaseAll(): Promise<void> {
  await Promise.allSettled([localEngine, registry, tlsEngine, sshServer]);
  const pending = releases.splice(0).reverse();
  localEngine = registry = tlsEngine = sshServer = undefined;
  const failures: unknown[] = [];
  for (const release of pending) {
    try {
      await release();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, 'releasing the integration test infrastructure failed');
  }
}

/** For an interrupted run: refuses new parts from now on, then releases everything. */
export async function shutDown(): Promise<void> {
  shuttingDown = true;
  await releaseAll();
}
