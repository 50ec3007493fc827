/**
 * Cancellation, deadlines and error translation for Engine API calls. Every call gets a {@link Deadline}
 * (the caller's AbortSignal plus a timer); whatever goes wrong comes out as one of our typed errors, or as
 * the caller's abort reason when the caller cancelled.
 */
import { EngineUnreachableError, RegistryError, RuntimeError } from '../ContainerRuntime';
import { connectionFailureReason, type ResolvedEndpoint } from '../dockerEndpoint';

/**
 * The caller's signal combined with a timer. The timer can be restarted while a request body is still
 * moving (an idle timeout for uploads) and stopped once a response stream has started.
 */
export class Deadline {
  readonly signal: AbortSignal;
  timedOut = false;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly onCallerAbort = (): void => this.controller.abort(this.caller.reason);

  constructor(
    private readonly caller: AbortSignal,
    readonly timeoutMs: number | undefined,
  ) {
    this.signal = this.controller.signal;
    caller.addEventListener('abort', this.onCallerAbort, { once: true });
    this.startTimer();
  }

  /** Progress was made: the timeout counts from now again (unless the timer was stopped). */
  touch(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.startTimer();
  }

  /** Keep following the caller's signal, but no longer time out (the answer has begun). */
  stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private startTimer(): void {
    const timeoutMs = this.timeoutMs;
    if (timeoutMs === undefined || this.controller.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  }

  dispose(): void {
    this.stopTimer();
    this.caller.removeEventListener('abort', this.onCallerAbort);
  }
}

export interface TranslationContext {
  operation: string;
  caller: AbortSignal;
  deadline?: Deadline;
  endpoint: ResolvedEndpoint;
  /** A timeout means "the engine is not there" (used by `info`). */
  unreachableOnTimeout?: boolean;
}

/**
 * Our typed error for a failed call (or the caller's abort reason). Order matters: cancellation first,
 * then our own timeout, then connection failures, then what the engine answered.
 */
export function translateEngineError(error: unknown, context: TranslationContext): unknown {
  const { operation, caller, deadline, endpoint } = context;
  if (caller.aborted) return caller.reason;
  if (error instanceof RuntimeError || error instanceof RegistryError || error instanceof EngineUnreachableError) {
    return error;
  }
  if (deadline?.timedOut) {
    const seconds = Math.round((deadline.timeoutMs ?? 0) / 100) / 10;
    return context.unreachableOnTimeout
      ? new EngineUnreachableError(endpoint.endpoint, `no answer within ${seconds} s`)
      : new RuntimeError(
          `${operation}: the engine at ${endpoint.endpoint} did not answer within ${seconds} s`,
          operation,
        );
  }
  const unreachable = connectionFailureReason(error, endpoint.transport);
  if (unreachable) return new EngineUnreachableError(endpoint.endpoint, unreachable);
  const statusCode = statusCodeOf(error);
  return new RuntimeError(`${operation}: ${engineMessage(error)}`, operation, statusCode);
}

/** The HTTP status of an engine error (docker-modem puts it on the error), if any. */
export function statusCodeOf(error: unknown): number | undefined {
  const value = isRecord(error) ? error['statusCode'] : undefined;
  return typeof value === 'number' ? value : undefined;
}

/** The engine's own message (`{"message": …}` body) rather than docker-modem's "(HTTP code 404) …" wrapper. */
export function engineMessage(error: unknown): string {
  if (isRecord(error)) {
    const json = error['json'];
    if (isRecord(json) && typeof json['message'] === 'string') return json['message'];
    if (typeof json === 'string' && json.trim() !== '') return json.trim();
    if (Buffer.isBuffer(json) && json.length > 0) return json.toString('utf8').trim();
  }
  return error instanceof Error ? error.message : String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
