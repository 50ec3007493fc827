/**
 * The one place run events leave the engine. Every event is masked here — whole events with
 * {@link SecretMasker.maskDeep}, output through one streaming masker per step and stream so a secret
 * split across chunks is still caught — and each step's summary is kept for the final event.
 */
import type { RunEvent, RunMessageEvent, StepKind, StepSummary } from '../../protocol';
import type { OutputStream } from '../ContainerRuntime';
import type { SecretMasker, StreamingMasker } from '../secrets/masker';

export type RunEventListener = (event: RunEvent) => void;

export class RunEvents {
  private readonly streams = new Map<string, StreamingMasker>();
  private readonly summaries = new Map<string, StepSummary>();

  constructor(
    readonly runId: string,
    private masker: SecretMasker,
    private readonly listener: RunEventListener,
  ) {}

  /** Adds secret values learnt after the run started (e.g. registry passwords). */
  addSecrets(values: Iterable<string>): void {
    this.masker = this.masker.with(values);
  }

  /** Masks arbitrary text with the run's secrets (for errors thrown out of the engine). */
  mask(text: string): string {
    return this.masker.mask(text);
  }

  emit(event: RunEvent): void {
    this.listener(this.masker.maskDeep(event));
  }

  message(level: RunMessageEvent['level'], text: string, stepId?: string): void {
    this.emit({ type: 'runMessage', runId: this.runId, level, text, ...(stepId === undefined ? {} : { stepId }) });
  }

  stepStarted(stepId: string, kind: StepKind, command: string, startedAt: Date): void {
    this.summaries.set(stepId, { id: stepId, kind, status: 'skipped', startedAt: startedAt.toISOString() });
    this.emit({ type: 'stepStarted', runId: this.runId, stepId, kind, command, startedAt: startedAt.toISOString() });
  }

  /** Step output; secrets are masked even when split across chunks. */
  output(stepId: string, stream: OutputStream, chunk: Buffer | string): void {
    const key = `${stepId}\0${stream}`;
    let masker = this.streams.get(key);
    if (!masker) {
      masker = this.masker.stream();
      this.streams.set(key, masker);
    }
    const text = masker.write(chunk);
    if (text !== '') this.listener({ type: 'stepOutput', runId: this.runId, stepId, stream, text });
  }

  /** Releases what the stream maskers of a step still hold (call when the step's output has ended). */
  flushOutput(stepId: string): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const key = `${stepId}\0${stream}`;
      const masker = this.streams.get(key);
      if (!masker) continue;
      this.streams.delete(key);
      const text = masker.end();
      if (text !== '') this.listener({ type: 'stepOutput', runId: this.runId, stepId, stream, text });
    }
  }

  stepFinished(summary: StepSummary): void {
    this.flushOutput(summary.id);
    const masked = this.masker.maskDeep(summary);
    this.summaries.set(summary.id, masked);
    this.emit({ type: 'stepFinished', runId: this.runId, stepId: summary.id, ...masked });
  }

  /** Summaries in the given step order; steps that never started are `skipped`. */
  stepSummaries(order: readonly { id: string; kind: StepKind }[]): StepSummary[] {
    return order.map((step) => this.summaries.get(step.id) ?? { id: step.id, kind: step.kind, status: 'skipped' });
  }
}
