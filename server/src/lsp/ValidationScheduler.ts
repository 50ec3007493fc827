/**
 * When to validate a changed document. vscode-jsonrpc handles one message per setImmediate, so a
 * validation scheduled while handling `didChange` would run before the completion request that an
 * editor sends right behind the keystroke: on a large task file the user would wait for a whole
 * validation before seeing the completion list. Here a validation waits until the requests already
 * received have been answered — it hops one setImmediate at a time for as long as requests are being
 * handled (at most `maxHops`, so a stream of requests cannot starve it) — and a burst of changes still
 * becomes one validation of the latest text. The request computes the analysis; validation reuses it
 * (or, right behind a keystroke inside a value, answers from the previous one: see language/editReuse.ts).
 *
 * A keystroke's completion request does not always arrive in the same read as its `didChange`: the
 * client may write it a fraction of a millisecond later, by which time the hops are over and a
 * validation of a large file has begun — the request then waits for all of it. So after an edit (not
 * an open, which no request follows that closely) the first hop waits `quietMs` instead.
 */
export class ValidationScheduler {
  private readonly pending = new Map<string, { immediate?: NodeJS.Immediate; timer?: NodeJS.Timeout }>();
  private requestsHandled = 0;

  constructor(
    private readonly validate: (uri: string) => void,
    private readonly maxHops = 32,
    private readonly quietMs = 0,
  ) {}

  /** Call as each request for a document starts being handled. */
  noteRequest(): void {
    this.requestsHandled++;
  }

  /**
   * Validates `uri` once the requests queued behind this change have been answered. `edited`: the
   * document was edited (not opened), so a request may still be on its way (see above).
   */
  schedule(uri: string, edited = false): void {
    this.cancel(uri);
    // -1: always yield at least once, to the message vscode-jsonrpc queued right after this change.
    let seen = -1;
    let hops = 0;
    const attempt = () => {
      if (seen !== this.requestsHandled && hops < this.maxHops) {
        seen = this.requestsHandled;
        hops++;
        this.pending.set(uri, { immediate: setImmediate(attempt) });
        return;
      }
      this.pending.delete(uri);
      this.validate(uri);
    };
    if (edited && this.quietMs > 0) this.pending.set(uri, { timer: setTimeout(attempt, this.quietMs) });
    else this.pending.set(uri, { immediate: setImmediate(attempt) });
  }

  cancel(uri: string): void {
    const pending = this.pending.get(uri);
    if (pending?.immediate) clearImmediate(pending.immediate);
    if (pending?.timer) clearTimeout(pending.timer);
    this.pending.delete(uri);
  }
}
