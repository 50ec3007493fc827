/**
 * Base-image update triggers (spec §10.2), decided without I/O: which tasks run, given what each task's
 * last run built on (its dependency records, §10.4) and what the tracked references identify now.
 *
 * - A task is armed only after a run recorded its dependencies: ACR discovers base images while
 *   building, so a task has to run once before it can be triggered.
 * - Type `Runtime` tracks the runtime (final-stage) base images; `All` also the build-time ones.
 * - Cascades: when the new identity of a base is an image one of our runs produced, the run that
 *   follows carries that run's chain plus its task. A task already in the chain is not run again —
 *   its change is taken as the new baseline instead — so A → B → A, and a task that rebuilds its own
 *   base, end after one round.
 */
import { parseImageReference, type DependencyRecord } from '../dependencyScan';
import type { BaseImageTriggerType } from '../definitions/model';
import type { BaseImageChange, DependencyKind, ImageIdentity, TriggerCause } from './triggerCause';

/** A base image a task's last run built on. */
export interface TrackedBase {
  reference: string;
  dependency: DependencyKind;
  identity: ImageIdentity;
}

/** A finished run of a task, as the watcher reads it from the run history. */
export interface TaskRunHistoryItem {
  runId: string;
  status: string;
  startedAt: string;
  dependencies: readonly DependencyRecord[];
  /** Engine image id by image reference, for references the registry does not know (§10.4 digests are empty). */
  imageIds?: Readonly<Record<string, string>>;
  cause?: TriggerCause;
}

/** What a task's base-image trigger watches. `bases` is empty until a run recorded its dependencies. */
export interface TaskBaseImageState {
  task: string;
  enabled: boolean;
  type: BaseImageTriggerType;
  bases: TrackedBase[];
  /** The run the bases come from. */
  fromRunId?: string;
  /** Base images that cannot be tracked (pinned by digest, `scratch`, or with no known identity). */
  untracked: string[];
}

/** The answer of a probe for one reference: its identity now, or why it could not be read. */
export type Observation = { identity: ImageIdentity } | { error: string };

/** An image a run of ours produced (pushed or built), to recognise cascades. */
export interface ProducedImage {
  reference: string;
  identities: ImageIdentity[];
  task: string;
  runId: string;
  /** The chain of the run that produced it. */
  chain: readonly string[];
}

export interface TriggerDecision {
  task: string;
  cause: Extract<TriggerCause, { kind: 'baseImage' }>;
}

export interface DecisionResult {
  triggers: TriggerDecision[];
  /** Changes that run nothing because the task is already in the cascade (taken as its new baseline). */
  loopsStopped: { task: string; change: BaseImageChange; chain: string[] }[];
}

/**
 * The reference as Docker resolves it: `:latest` added when the last path component has neither tag
 * nor digest. (acb's own normalisation skips any reference with a `:`, so `127.0.0.1:5000/base` would
 * stay without a tag; Docker still pulls `:latest`.)
 */
export function withDefaultTag(reference: string): string {
  const last = reference.slice(reference.lastIndexOf('/') + 1);
  return last.includes(':') || last.includes('@') ? reference : `${reference}:latest`;
}

/**
 * A comparable key for an image reference: registry/repository:tag as acb records it, so `base` and
 * `base:latest` (or `library/base`) are the same image.
 */
export function imageKey(reference: string): string {
  const parsed = parseImageReference(withDefaultTag(reference));
  if ('error' in parsed) return reference;
  return `${parsed.registry}/${parsed.repository}:${parsed.tag ?? ''}`;
}

function identityOf(
  reference: string,
  digest: string,
  imageIds: Readonly<Record<string, string>> | undefined,
): ImageIdentity | undefined {
  if (digest !== '') return { source: 'registry', value: digest };
  const id = imageIds?.[reference];
  return id ? { source: 'engine', value: id } : undefined;
}

function sameIdentity(a: ImageIdentity, b: ImageIdentity): boolean {
  return a.source === b.source && a.value === b.value;
}

/** The bases a run built on, from its dependency records; runtime entries first, duplicates merged. */
export function trackedBasesOf(run: TaskRunHistoryItem): { bases: TrackedBase[]; untracked: string[] } {
  const bases: TrackedBase[] = [];
  const untracked = new Set<string>();
  const seen = new Set<string>();
  const add = (reference: string, digest: string, dependency: DependencyKind) => {
    if (reference.includes('@') || imageKey(reference) === imageKey('scratch')) {
      untracked.add(reference);
      return;
    }
    const key = `${dependency} ${imageKey(reference)}`;
    if (seen.has(key)) return;
    const identity = identityOf(reference, digest, run.imageIds);
    if (!identity) {
      untracked.add(reference);
      return;
    }
    seen.add(key);
    bases.push({ reference: withDefaultTag(reference), dependency, identity });
  };
  for (const record of run.dependencies) {
    add(record['runtime-dependency'].reference, record['runtime-dependency'].digest, 'runtime');
  }
  for (const record of run.dependencies) {
    for (const ref of record['buildtime-dependency'] ?? []) add(ref.reference, ref.digest, 'buildtime');
  }
  return { bases, untracked: [...untracked] };
}

/**
 * What a task's trigger watches after these runs (newest first): the bases of the newest successful
 * run with dependency records, updated by the new identities of base-image runs started after it —
 * a triggered run that failed must not trigger again for the same change.
 */
export function baseImageStateFromHistory(
  task: string,
  trigger: { enabled: boolean; type: BaseImageTriggerType },
  runsNewestFirst: readonly TaskRunHistoryItem[],
): TaskBaseImageState {
  const state: TaskBaseImageState = { task, enabled: trigger.enabled, type: trigger.type, bases: [], untracked: [] };
  const index = runsNewestFirst.findIndex((run) => run.status === 'succeeded' && run.dependencies.length > 0);
  const source = runsNewestFirst[index];
  if (source === undefined) return state;
  const { bases, untracked } = trackedBasesOf(source);
  state.bases = bases;
  state.untracked = untracked;
  state.fromRunId = source.runId;
  for (const later of runsNewestFirst.slice(0, index).reverse()) {
    if (later.cause?.kind === 'baseImage') acknowledge(state, later.cause.changes);
  }
  return state;
}

/** Takes the changes' new identities as the task's baseline (after triggering, or for a stopped loop). */
export function acknowledge(state: TaskBaseImageState, changes: readonly BaseImageChange[]): void {
  for (const change of changes) {
    for (const base of state.bases) {
      if (base.dependency === change.dependency && imageKey(base.reference) === imageKey(change.reference))
        base.identity = change.new;
    }
  }
}

/** The references (with the source to ask) that the enabled, armed triggers watch. */
export function referencesToProbe(
  states: readonly TaskBaseImageState[],
): { reference: string; source: ImageIdentity['source'] }[] {
  const wanted = new Map<string, { reference: string; source: ImageIdentity['source'] }>();
  for (const state of states) {
    if (!state.enabled) continue;
    for (const base of watchedBases(state)) {
      wanted.set(`${base.identity.source} ${base.reference}`, {
        reference: base.reference,
        source: base.identity.source,
      });
    }
  }
  return [...wanted.values()];
}

function watchedBases(state: TaskBaseImageState): TrackedBase[] {
  return state.type === 'All' ? state.bases : state.bases.filter((base) => base.dependency === 'runtime');
}

function producerOf(change: BaseImageChange, produced: readonly ProducedImage[]): ProducedImage | undefined {
  const key = imageKey(change.reference);
  // The newest production wins when the same image was produced twice.
  return [...produced]
    .reverse()
    .find(
      (image) =>
        imageKey(image.reference) === key && image.identities.some((identity) => sameIdentity(identity, change.new)),
    );
}

/**
 * Decides which tasks run. `observe` answers for a reference and source (undefined: not probed). Does
 * not change `states`; the caller acknowledges what it acts on.
 */
export function decideBaseImageTriggers(
  states: readonly TaskBaseImageState[],
  observe: (reference: string, source: ImageIdentity['source']) => Observation | undefined,
  produced: readonly ProducedImage[],
): DecisionResult {
  const result: DecisionResult = { triggers: [], loopsStopped: [] };
  for (const state of states) {
    if (!state.enabled) continue;
    const changes: BaseImageChange[] = [];
    const chain: string[] = [];
    let causedBy: { task: string; runId: string } | undefined;
    for (const base of watchedBases(state)) {
      const observation = observe(base.reference, base.identity.source);
      if (!observation || 'error' in observation || sameIdentity(observation.identity, base.identity)) continue;
      const change: BaseImageChange = {
        reference: base.reference,
        dependency: base.dependency,
        old: base.identity,
        new: observation.identity,
      };
      const producer = producerOf(change, produced);
      const changeChain = producer ? [...producer.chain, producer.task] : [];
      if (changeChain.includes(state.task)) {
        result.loopsStopped.push({ task: state.task, change, chain: changeChain });
        continue;
      }
      changes.push(change);
      for (const task of changeChain) if (!chain.includes(task)) chain.push(task);
      if (producer) causedBy ??= { task: producer.task, runId: producer.runId };
    }
    if (changes.length === 0) continue;
    result.triggers.push({
      task: state.task,
      cause: { kind: 'baseImage', changes, chain, ...(causedBy ? { causedBy } : {}) },
    });
  }
  return result;
}

/** The images a finished run produced (its records' `image` entries), for cascade recognition. */
export function producedImagesOf(task: string, run: TaskRunHistoryItem, chain: readonly string[]): ProducedImage[] {
  const images: ProducedImage[] = [];
  for (const record of run.dependencies) {
    if (!record.image) continue;
    const identities: ImageIdentity[] = [];
    if (record.image.digest !== '') identities.push({ source: 'registry', value: record.image.digest });
    const id = run.imageIds?.[record.image.reference];
    if (id) identities.push({ source: 'engine', value: id });
    if (identities.length > 0)
      images.push({ reference: record.image.reference, identities, task, runId: run.runId, chain: [...chain] });
  }
  return images;
}
