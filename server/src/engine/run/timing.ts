/**
 * Time in the engine. Task files speak in seconds; tests run the same code with a shorter second
 * (`msPerSecond`) instead of sleeping for real seconds.
 */

export interface Timing {
  /** Length of one task-file second in milliseconds (1000 outside tests). */
  msPerSecond: number;
}

export const REAL_TIMING: Timing = { msPerSecond: 1000 };

/** Waits `ms`; resolves false at once when `signal` aborts first (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A deadline that can be cancelled (so a finished step leaves no timer behind). */
export interface Deadline {
  signal: AbortSignal;
  /** True once the deadline itself has expired (not merely a parent abort). */
  readonly expired: boolean;
  dispose(): void;
}

/** A signal aborted when `parent` aborts or `ms` elapse, whichever comes first. */
export function deadline(parent: AbortSignal, ms: number): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DeadlineExpired());
  }, ms);
  const onParentAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onParentAbort();
  else parent.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
    },
  };
}

/** The abort reason of an expired {@link deadline}. */
export class DeadlineExpired extends Error {
  override name = 'DeadlineExpired';
  constructor() {
    super('timed out');
  }
}
