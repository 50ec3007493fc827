/**
 * Asks where each tracked base image lives what it is now: the registry (manifest digest over the
 * Registry API v2) for images that came from one, the engine (image id) for images that live only in
 * the engine. Failures become observations with an error, so one registry that stops answering never
 * stops the others — the watcher reports it and keeps going.
 */
import type { ImageIdentity } from '../../task/triggers/triggerCause';
import type { Observation } from '../../task/triggers/baseImageTriggers';
import type { ContainerRuntime } from '../ContainerRuntime';
import { manifestLocation, type RegistryClient } from './registryClient';

const ENGINE_TIMEOUT_MS = 15_000;
/** Registries probed at once. */
const PARALLEL_PROBES = 4;

export interface ProbeTarget {
  reference: string;
  source: ImageIdentity['source'];
}

export interface ProbeResult {
  observations: Map<string, Observation>;
  /** Problems by place (`registry <host>`, `engine`), one message each, for reporting. */
  problems: Map<string, string>;
}

export function observationKey(reference: string, source: ImageIdentity['source']): string {
  return `${source} ${reference}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function probeBaseImages(
  targets: readonly ProbeTarget[],
  dependencies: { registry: RegistryClient; runtime: ContainerRuntime },
  signal: AbortSignal,
): Promise<ProbeResult> {
  const result: ProbeResult = { observations: new Map(), problems: new Map() };
  const queue = [...targets];
  const probeOne = async (target: ProbeTarget) => {
    const key = observationKey(target.reference, target.source);
    try {
      if (target.source === 'registry') {
        const digest = await dependencies.registry.manifestDigest(target.reference, signal);
        result.observations.set(key, { identity: { source: 'registry', value: digest } });
      } else {
        const info = await dependencies.runtime.inspectImage(
          target.reference,
          AbortSignal.any([signal, AbortSignal.timeout(ENGINE_TIMEOUT_MS)]),
        );
        result.observations.set(
          key,
          info
            ? { identity: { source: 'engine', value: info.id } }
            : { error: `${target.reference} is not in the engine` },
        );
      }
    } catch (error) {
      if (signal.aborted) throw error;
      result.observations.set(key, { error: message(error) });
      const place = target.source === 'registry' ? `registry ${manifestLocation(target.reference).host}` : 'engine';
      if (!result.problems.has(place)) result.problems.set(place, message(error));
    }
  };
  const workers = Array.from({ length: Math.min(PARALLEL_PROBES, queue.length) }, async () => {
    for (let target = queue.shift(); target; target = queue.shift()) await probeOne(target);
  });
  await Promise.all(workers);
  return result;
}
