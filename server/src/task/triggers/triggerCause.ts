/**
 * Why a task run happened, as recorded with the run and shown in the Runs view and `runs list`
 * (the wire form is `RunTriggerDetails` in protocol.ts, which has the same shape).
 */

/**
 * How a base image is identified: the registry's manifest digest (`Docker-Content-Digest`), or the
 * engine's image id for images that live only in the engine (no repo digest).
 */
export interface ImageIdentity {
  source: 'registry' | 'engine';
  value: string;
}

export type DependencyKind = 'runtime' | 'buildtime';

export interface BaseImageChange {
  /** The image reference as the Dockerfile names it, with `:latest` added when it has no tag. */
  reference: string;
  dependency: DependencyKind;
  old: ImageIdentity;
  new: ImageIdentity;
}

export type TriggerCause =
  | { kind: 'manual' }
  | {
      kind: 'baseImage';
      changes: BaseImageChange[];
      /** Tasks whose runs led here in a cascade, first one first; empty for a change from outside. */
      chain: string[];
      /** The run that pushed (or built) the new base image, when it was one of ours. */
      causedBy?: { task: string; runId: string };
    }
  | { kind: 'commit'; commit: string; branch: string; previous?: string }
  | { kind: 'schedule'; timer: string; cron: string; scheduledAt: string };

/** The run record's `trigger` word for a cause (ACR's trigger kinds: Manual, Image Update, Commit, Timer). */
export function triggerName(cause: TriggerCause): string {
  switch (cause.kind) {
    case 'manual':
      return 'manual';
    case 'baseImage':
      return 'imageUpdate';
    case 'commit':
      return 'commit';
    case 'schedule':
      return 'timer';
  }
}

/** `sha256:0123456789ab` — enough of a digest to tell versions apart in one line. */
export function shortIdentity(identity: ImageIdentity): string {
  const colon = identity.value.indexOf(':');
  const algorithm = colon < 0 ? '' : identity.value.slice(0, colon);
  const short = identity.value.slice(colon + 1, colon + 13);
  const text = algorithm ? `${algorithm}:${short}` : short;
  return identity.source === 'engine' ? `image ${text}` : text;
}

/** One line saying why the run happened, e.g. for the Runs view's tooltip and `runs list`. */
export function describeTriggerCause(cause: TriggerCause): string {
  switch (cause.kind) {
    case 'manual':
      return 'started by hand';
    case 'baseImage': {
      const changes = cause.changes
        .map(
          (change) =>
            `${change.dependency === 'runtime' ? 'base image' : 'build-time base image'} ${change.reference} changed ${shortIdentity(change.old)} → ${shortIdentity(change.new)}`,
        )
        .join('; ');
      const by = cause.causedBy ? ` (by run ${cause.causedBy.runId} of task ${cause.causedBy.task})` : '';
      return `${changes}${by}`;
    }
    case 'commit':
      return `commit ${cause.commit.slice(0, 12)} on ${cause.branch}`;
    case 'schedule':
      return `timer ${cause.timer} (${cause.cron}, UTC) due ${cause.scheduledAt}`;
  }
}
