/**
 * acb's process manager rules for one step (spec §5.4): `repeat+1` repetitions, each an attempt loop of
 * up to `retries+1` attempts with `retryDelay` between them (only when `retryOnErrors` is empty or the
 * failed attempt's output contains one of its strings), all under ONE deadline (`timeout`) created
 * before the first attempt. Every repetition runs even when an earlier one failed; the errors are joined.
 */
import { deadline, sleep, type Timing } from './timing';

export interface AttemptOutcome {
  ok: boolean;
  exitCode?: number;
  /** Why the attempt failed (`exit status 1`, an engine error, …). */
  error?: string;
}

export interface RetryPolicy {
  /** Seconds for all attempts together. */
  timeout: number;
  retries: number;
  /** Seconds. */
  retryDelay: number;
  repeat: number;
  retryOnErrors: readonly string[];
}

export interface AttemptLoopResult {
  ok: boolean;
  /** The step's deadline expired. */
  timedOut: boolean;
  /** The run was stopped from outside the step (failure elsewhere, cancel, run timeout). */
  cancelled: boolean;
  /** Exit code of the last attempt that produced one. */
  exitCode?: number;
  /** One message per failed repetition, in order. */
  errors: string[];
  attempts: number;
}

/** Watches an attempt's output for `retryOnErrors` strings, also across chunk boundaries. */
export class OutputWatcher {
  private tail = '';
  private found = false;
  private readonly keep: number;

  constructor(private readonly needles: readonly string[]) {
    this.keep = Math.max(0, ...needles.map((needle) => needle.length - 1));
  }

  write(text: string): void {
    if (this.found || this.needles.length === 0) return;
    const window = this.tail + text;
    this.found = this.needles.some((needle) => window.includes(needle));
    this.tail = this.keep === 0 ? '' : window.slice(-this.keep);
  }

  get matched(): boolean {
    return this.found;
  }
}

export interface AttemptLoopOptions {
  /** The run's signal (failure elsewhere, cancel, run timeout). */
  signal: AbortSignal;
  timing: Timing;
  /**
   * Runs one attempt. `watch` receives the attempt's output text for `retryOnErrors`; the attempt must
   * stop promptly when `signal` aborts.
   */
  attempt: (signal: AbortSignal, watcher: OutputWatcher, number: number) => Promise<AttemptOutcome>;
  /** Told before each retry (for the log: "retrying in 5 s"). */
  onRetry?: (message: string) => void;
}

export async function runAttempts(policy: RetryPolicy, options: AttemptLoopOptions): Promise<AttemptLoopResult> {
  const limit = deadline(options.signal, policy.timeout * options.timing.msPerSecond);
  const result: AttemptLoopResult = { ok: true, timedOut: false, cancelled: false, errors: [], attempts: 0 };
  try {
    for (let repetition = 0; repetition <= policy.repeat && !limit.signal.aborted; repetition++) {
      let lastError: string | undefined;
      for (let attempt = 0; attempt <= policy.retries; attempt++) {
        const watcher = new OutputWatcher(policy.retryOnErrors);
        result.attempts++;
        const outcome = await options.attempt(limit.signal, watcher, result.attempts);
        if (outcome.exitCode !== undefined) result.exitCode = outcome.exitCode;
        if (outcome.ok) {
          lastError = undefined;
          break;
        }
        lastError = outcome.error ?? 'failed';
        if (limit.signal.aborted) break;
        const attemptsLeft = attempt < policy.retries;
        const retryable = policy.retryOnErrors.length === 0 || watcher.matched;
        if (!attemptsLeft || !retryable) break;
        options.onRetry?.(
          `attempt ${attempt + 1} of ${policy.retries + 1} failed (${lastError}); retrying in ${policy.retryDelay} s`,
        );
        if (!(await sleep(policy.retryDelay * options.timing.msPerSecond, limit.signal))) break;
      }
      if (lastError !== undefined) {
        result.ok = false;
        result.errors.push(lastError);
      }
    }
  } finally {
    limit.dispose();
  }
  result.timedOut = limit.expired;
  result.cancelled = !limit.expired && options.signal.aborted;
  if (result.timedOut || result.cancelled) result.ok = false;
  return result;
}
