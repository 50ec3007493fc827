/**
 * Plain-text rendering of run events, shared by the CLI and the stored `log.txt`: a header per step with
 * its resolved command, every output line prefixed with its step id (parallel steps interleave
 * readably), and a summary at the end. Events are already masked when they get here.
 */
import type { RunEvent, RunFinishedEvent, StepSummary } from '../../protocol';

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`;
}

function describeStep(step: StepSummary): string {
  const parts: string[] = [step.status];
  if (step.exitCode !== undefined) parts.push(`exit code ${step.exitCode}`);
  if (step.durationMs !== undefined) parts.push(seconds(step.durationMs));
  if (step.digest) parts.push(step.digest);
  let text = parts.join(', ');
  if (step.error) text += ` — ${step.error}${step.errorIgnored ? ' (ignored: ignoreErrors)' : ''}`;
  return text;
}

export function summaryText(event: RunFinishedEvent): string {
  const lines = [
    '',
    `Run ${event.runId} ${event.status} in ${seconds(event.durationMs)}${event.error ? `: ${event.error}` : ''}`,
  ];
  const width = Math.max(0, ...event.steps.map((step) => step.id.length));
  for (const step of event.steps) lines.push(`  ${step.id.padEnd(width)}  ${describeStep(step)}`);
  if (event.dependencies.length > 0) {
    lines.push('', 'Dependencies:', JSON.stringify(event.dependencies));
  }
  return `${lines.join('\n')}\n`;
}

/** Turns events into text lines; keeps partial output lines per step until they end. */
export class RunLogFormatter {
  private readonly partial = new Map<string, string>();

  format(event: RunEvent): string {
    switch (event.type) {
      case 'runStarted':
        return (
          `Run ${event.runId}: ${event.taskFile} (context ${event.context}, engine ${event.engine}, trigger ${event.trigger})\n` +
          (event.origin ? `Task ${event.origin.task}: ${event.origin.reason}\n` : '') +
          (event.steps.length > 0
            ? `Steps: ${event.steps.map((step) => `${step.id}${step.dependsOn.length > 0 ? ` ← ${step.dependsOn.join(', ')}` : ''}`).join('; ')}\n`
            : '')
        );
      case 'runMessage':
        return `${event.level === 'info' ? '' : `${event.level}: `}${event.stepId ? `[${event.stepId}] ` : ''}${event.text}\n`;
      case 'stepStarted':
        return `\n==> Step ${event.stepId} (${event.kind})\n${event.command}\n`;
      case 'stepOutput':
        return this.output(event.stepId, event.text);
      case 'stepFinished':
        return `${this.flush(event.stepId)}<== Step ${event.stepId}: ${describeStep(event)}\n`;
      case 'runFinished':
        return summaryText(event);
    }
  }

  private output(stepId: string, text: string): string {
    const buffered = (this.partial.get(stepId) ?? '') + text;
    const lastNewline = buffered.lastIndexOf('\n');
    if (lastNewline < 0) {
      this.partial.set(stepId, buffered);
      return '';
    }
    this.partial.set(stepId, buffered.slice(lastNewline + 1));
    return buffered
      .slice(0, lastNewline)
      .split('\n')
      .map((line) => `${stepId} | ${line}\n`)
      .join('');
  }

  private flush(stepId: string): string {
    const rest = this.partial.get(stepId);
    this.partial.delete(stepId);
    return rest ? `${stepId} | ${rest}\n` : '';
  }
}
