/**
 * When to validate a changed document. vscode-jsonrpc handles one message per setImmediate, so a
 * validation scheduled while handling `didChange` would run before the completion request that an
 * editor sends right behind the keystroke: on a large task file the user would wait for a whole
 * validation before seeing the completion list. Here a validation waits until the requests already
 * received have been answered — it hops one setImmediate at a time for as long as requests are being
 * handled (at most `maxHops`, so a stream of requests cannot starve it) — and a burst of changes still
 * becomes one validation of the latest text. The request computes the analysis; validation reuses it.
 */
export class ValidationScheduler {
  private readonly pending = new Map<string, NodeJS.Immediate>();
  private requestsHandled = 0;

  constructor(
    private readonly validate: (uri: string) => void,
    private readonly maxHops = 32,
  ) {}

  /** Call as each request for a document starts being handled. */
  noteRequest(): void {
    this.requestsHandled++;
  }

  /** Validates `uri` once the requests queued behind this change have been answered. */
  schedule(uri: string): void {
    this.cancel(uri);
    // -1: always yield at least once, to the message vscode-jsonrpc queued right after this change.
    let seen = -1;
    let hops = 0;
    const attempt = () => {
      if (seen !== this.requestsHandled && hops < this.maxHops) {
        seen = this.requestsHandled;
        hops++;
        this.pending.set(uri, setImmediate(attempt));
        return;
      }
      this.pending.delete(uri);
      this.validate(uri);
    };
    this.pending.set(uri, setImmediate(attempt));
  }

  cancel(uri: string): void {
    const pending = this.pending.get(uri);
    if (pending) clearImmediate(pending);
    this.pending.delete(uri);
  }
}
