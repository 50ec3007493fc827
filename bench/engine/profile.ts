/**
 * Where a run's time goes: every Engine API call our runtime makes (timed at the one seam all calls go
 * through, DockerodeRuntime.request/openStream), the run events, and the engine's own container events
 * (create, start, die, destroy) for the run's containers — all on one clock.
 */
import { performance } from 'node:perf_hooks';
import type Docker from 'dockerode';

import { RUN_ID_LABEL } from '../../server/src/engine/ContainerRuntime';

/** The label selecting one run's containers in {@link containerEvents}. */
export function runLabel(runId: string): string {
  return `${RUN_ID_LABEL}=${runId}`;
}
import type { DockerodeRuntime } from '../../server/src/engine/DockerodeRuntime';

/** One Engine API call; times are performance.now() ms. */
export interface CallRecord {
  operation: string;
  method: string;
  path: string;
  /** `?name=` of a create call. */
  name?: string;
  /** The container id a create call answered with. */
  createdId?: string;
  start: number;
  /** Answer received (for streams: the response has begun). */
  end?: number;
  /** For streams: the stream ended. */
  streamEnd?: number;
}

/** One engine event of a run's container, on the performance.now() clock. */
export interface ContainerEvent {
  container: string;
  action: string;
  at: number;
}

/**
 * Times every call the runtime makes from now on. Patches this instance only (the benchmark's own);
 * the returned function restores it.
 */
export function recordCalls(runtime: DockerodeRuntime, calls: CallRecord[]): () => void {
  const request = runtime.request.bind(runtime);
  const openStream = runtime.openStream.bind(runtime);
  runtime.request = async function timedRequest(operation, signal, options) {
    const record: CallRecord = { operation, method: options.method, path: options.path, start: performance.now() };
    const name = options.query?.['name'];
    if (typeof name === 'string') record.name = name;
    calls.push(record);
    try {
      const answer: unknown = await request(operation, signal, options);
      const id = (answer as { Id?: unknown } | undefined)?.Id;
      if (typeof id === 'string') record.createdId = id;
      return answer;
    } finally {
      record.end = performance.now();
    }
  } as DockerodeRuntime['request'];
  runtime.openStream = async function timedStream(operation, signal, options) {
    const record: CallRecord = { operation, method: options.method, path: options.path, start: performance.now() };
    calls.push(record);
    try {
      const stream = await openStream(operation, signal, options);
      const ended = () => (record.streamEnd ??= performance.now());
      stream.once('end', ended);
      stream.once('close', ended);
      return stream;
    } finally {
      record.end = performance.now();
    }
  };
  // The originals live on the prototype: dropping the instance's own properties restores them.
  return () => {
    Reflect.deleteProperty(runtime, 'request');
    Reflect.deleteProperty(runtime, 'openStream');
  };
}

const secondsOf = (wallMs: number) => (wallMs / 1000).toFixed(3);

/**
 * The engine's container events of the containers with `label` between two wall-clock times (ms since the epoch). The
 * engine replays them from its event log and closes the stream at `untilWallMs`.
 */
export async function containerEvents(
  docker: Docker,
  /** A `key=value` label the containers carry (our runs: the run-id label). */
  label: string,
  sinceWallMs: number,
  untilWallMs: number,
): Promise<ContainerEvent[]> {
  const stream = await docker.getEvents({
    since: secondsOf(sinceWallMs),
    until: secondsOf(untilWallMs),
    filters: { type: ['container'], label: [label] },
  } as unknown as Parameters<Docker['getEvents']>[0]);
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  // The engine stamps events with the wall clock; ours are monotonic. Convert with the offset of now,
  // not of process start: a long-running process sees the wall clock drift (or jump) away from it.
  const wallToMonotonic = performance.now() - Date.now();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { Action: string; timeNano: number; Actor: { Attributes: { name?: string } } })
    .map((event) => ({
      container: event.Actor.Attributes.name ?? '',
      action: event.Action,
      at: event.timeNano / 1e6 + wallToMonotonic,
    }));
}
