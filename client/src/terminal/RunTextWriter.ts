/**
 * Turns a run's events into terminal text: a coloured header per step with its resolved command and the
 * time since the run started, the step's own output with its ANSI colours untouched, a footer with the
 * step's status and duration, and a summary table at the end. Output of parallel steps is marked with the
 * step id whenever the writing step changes. Line ends become CRLF, as a pseudoterminal needs.
 */
import type { RunEvent, RunFinishedEvent, StepStatus, StepSummary } from '../../../server/src/protocol';
import { formatDuration } from '../runs/runModel';

const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const YELLOW = '\x1b[33m';
const CYAN = '\x1b[36m';

const STATUS_STYLE: Record<StepStatus | RunFinishedEvent['status'], { colour: string; mark: string }> = {
  succeeded: { colour: GREEN, mark: '✔' },
  failed: { colour: RED, mark: '✘' },
  cancelled: { colour: YELLOW, mark: '■' },
  timedOut: { colour: RED, mark: '⏱' },
  skipped: { colour: DIM, mark: '–' },
};

/** An error worth printing: not one that only repeats the status (`cancelled`, `timed out`). */
function extraError(status: string, error: string | undefined): string | undefined {
  if (!error) return undefined;
  const words = error.toLowerCase().replace(/\s+/g, '');
  return words === status.toLowerCase() ? undefined : error;
}

/** CRLF line ends; a lone CR (progress bars redraw a line) is kept. */
export function toTerminalText(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

function styled(colour: string, text: string): string {
  return `${colour}${text}${RESET}`;
}

function stepLine(step: StepSummary, width: number): string {
  const style = STATUS_STYLE[step.status];
  const parts = [styled(style.colour, `${style.mark} ${step.id.padEnd(width)}`), step.status];
  if (step.exitCode !== undefined && step.status !== 'succeeded') parts.push(`exit code ${step.exitCode}`);
  if (step.durationMs !== undefined) parts.push(formatDuration(step.durationMs));
  if (step.digest) parts.push(styled(DIM, step.digest));
  let line = `  ${parts.join('  ')}`;
  const error = extraError(step.status, step.error);
  if (error) line += `\n      ${styled(style.colour, error)}${step.errorIgnored ? ' (ignored: ignoreErrors)' : ''}`;
  return line;
}

export class RunTextWriter {
  private runStartedAt = Date.now();
  private lastWriter: string | undefined;
  private readonly running = new Set<string>();
  /** Whether the last character written ended a line. */
  private atLineStart = true;

  /** Text for one event ('' when there is nothing to show). */
  format(event: RunEvent): string {
    return toTerminalText(this.plain(event));
  }

  private plain(event: RunEvent): string {
    switch (event.type) {
      case 'runStarted': {
        this.runStartedAt = Date.parse(event.startedAt);
        const plan = event.steps.map((step) => step.id).join(', ');
        return this.line(
          `${styled(BOLD, `Run ${event.runId}`)} ${styled(DIM, `${event.taskFile} · engine ${event.engine} · ${event.trigger}`)}\n` +
            (plan ? `${styled(DIM, `Steps: ${plan}`)}\n` : ''),
        );
      }
      case 'runMessage': {
        const colour = event.level === 'error' ? RED : event.level === 'warning' ? YELLOW : DIM;
        const where = event.stepId ? `[${event.stepId}] ` : '';
        return this.line(styled(colour, `${where}${event.text}`) + '\n');
      }
      case 'stepStarted': {
        this.running.add(event.stepId);
        this.lastWriter = event.stepId;
        const offset = formatDuration(Math.max(0, Date.parse(event.startedAt) - this.runStartedAt));
        return this.line(
          `\n${styled(`${BOLD}${CYAN}`, `━━ Step ${event.stepId}`)} ${styled(DIM, `(${event.kind}, at +${offset})`)}\n` +
            `${styled(DIM, `$ ${event.command}`)}\n`,
        );
      }
      case 'stepOutput':
        return this.output(event.stepId, event.text);
      case 'stepFinished': {
        this.running.delete(event.stepId);
        const style = STATUS_STYLE[event.status];
        const duration = event.durationMs === undefined ? '' : ` in ${formatDuration(event.durationMs)}`;
        const code =
          event.exitCode !== undefined && event.status !== 'succeeded' ? ` (exit code ${event.exitCode})` : '';
        const extra = extraError(event.status, event.error);
        const error = extra ? `: ${extra}` : '';
        return this.line(
          styled(style.colour, `${style.mark} Step ${event.stepId} ${event.status}${duration}${code}${error}`) + '\n',
        );
      }
      case 'runFinished':
        return this.line(this.summary(event));
    }
  }

  /** Starts on a fresh line if step output left one open. */
  private line(text: string): string {
    const prefix = this.atLineStart ? '' : '\n';
    this.atLineStart = text.endsWith('\n');
    return prefix + text;
  }

  private output(stepId: string, text: string): string {
    let prefix = '';
    if (this.lastWriter !== stepId && this.running.size > 1) {
      prefix = `${this.atLineStart ? '' : '\n'}${styled(CYAN, `── ${stepId}`)}\n`;
      this.atLineStart = true;
    }
    this.lastWriter = stepId;
    if (text !== '') this.atLineStart = text.endsWith('\n');
    return prefix + text;
  }

  private summary(event: RunFinishedEvent): string {
    const style = STATUS_STYLE[event.status];
    const width = Math.max(0, ...event.steps.map((step) => step.id.length));
    const error = extraError(event.status, event.error);
    const lines = [
      '',
      styled(
        `${BOLD}${style.colour}`,
        `${style.mark} Run ${event.runId} ${event.status} in ${formatDuration(event.durationMs)}`,
      ) + (error ? ` ${styled(style.colour, error)}` : ''),
      ...event.steps.map((step) => stepLine(step, width)),
      '',
    ];
    return lines.join('\n');
  }
}
