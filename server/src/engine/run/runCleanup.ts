/**
 * End-of-run cleanup (spec §5.3): whatever happened — success, failure, timeout, cancel — every
 * container, network and volume labelled with the run id is force-removed. Containers go first, since
 * networks and volumes in use cannot be removed. Failures are reported, never thrown.
 */
import type { ContainerRuntime, RunResources } from '../ContainerRuntime';
import type { RunEvents } from './runEvents';

export const CLEANUP_TIMEOUT_MS = 120_000;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Removes the run's resources; resolves to what could not be removed (empty lists when all went). */
export async function cleanUpRun(
  runtime: ContainerRuntime,
  runId: string,
  events: RunEvents,
  timeoutMs = CLEANUP_TIMEOUT_MS,
): Promise<RunResources> {
  // A fresh signal: the run's own is usually aborted by now (failure, cancel, timeout).
  const signal = AbortSignal.timeout(timeoutMs);
  let resources: RunResources;
  try {
    resources = await runtime.listRunResources(runId, signal);
  } catch (error) {
    events.message('warning', `Cleanup: cannot list the run's resources: ${describe(error)}`);
    return { containers: [], networks: [], volumes: [] };
  }
  const leftover: RunResources = { containers: [], networks: [], volumes: [] };
  const removeAll = async (kind: keyof RunResources, remove: (name: string) => Promise<void>) => {
    await Promise.all(
      resources[kind].map(async (name) => {
        try {
          await remove(name);
        } catch (error) {
          leftover[kind].push(name);
          events.message('warning', `Cleanup: cannot remove ${kind.slice(0, -1)} ${name}: ${describe(error)}`);
        }
      }),
    );
  };
  await removeAll('containers', (name) => runtime.removeContainer(name, signal));
  await removeAll('networks', (name) => runtime.removeNetwork(name, signal));
  await removeAll('volumes', (name) => runtime.removeVolume(name, signal));
  const removed = resources.containers.length + resources.networks.length + resources.volumes.length;
  if (removed > 0) {
    events.message(
      'info',
      `Cleanup: removed ${resources.containers.length - leftover.containers.length} container(s), ${resources.networks.length - leftover.networks.length} network(s), ${resources.volumes.length - leftover.volumes.length} volume(s)`,
    );
  }
  return leftover;
}
