/**
 * One step from start to verdict: `startDelay` (not part of the step deadline), the kind-specific
 * runner, the events (started with the resolved command, finished with status, exit code, duration,
 * digest), and `ignoreErrors` — a failed step with it lets its dependents run (spec §5.3).
 */
import type { StepStatus, StepSummary } from '../../protocol';
import type { Step } from '../../task/model';
import type { StepVerdict } from '../run/scheduler';
import { sleep } from '../run/timing';
import { runBuildStep } from './buildStep';
import { runCmdStep } from './cmdStep';
import { runPushStep } from './pushStep';
import { errorText, type StepContext, type StepOutcome } from './stepContext';

export interface StepRecord {
  summary: StepSummary;
  verdict: StepVerdict;
}

export async function runStep(context: StepContext, step: Step, signal: AbortSignal): Promise<StepRecord> {
  const kind = step.kind ?? 'cmd';
  const startedAt = new Date();
  let started = false;
  const announce = (command: string) => {
    if (started) return;
    started = true;
    context.events.stepStarted(step.id, kind, command, startedAt);
  };
  let outcome: StepOutcome;
  try {
    if (step.startDelay > 0) {
      context.events.message('info', `Waiting ${step.startDelay} s before step ${step.id} (startDelay)`, step.id);
    }
    if (!(await sleep(step.startDelay * context.timing.msPerSecond, signal))) {
      outcome = { status: 'cancelled', error: 'cancelled' };
    } else if (step.kind === 'build') {
      outcome = await runBuildStep(context, step, signal, announce);
    } else if (step.kind === 'push') {
      outcome = await runPushStep(context, step, signal, announce);
    } else {
      outcome = await runCmdStep(context, step, signal, announce);
    }
  } catch (error) {
    outcome = signal.aborted
      ? { status: 'cancelled', error: 'cancelled' }
      : { status: 'failed', error: errorText(error) };
  }
  announce(step.cmd ?? step.build ?? (step.push ?? []).join(' '));
  const status: StepStatus = outcome.status;
  const summary: StepSummary = {
    id: step.id,
    kind,
    status,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
  };
  if (outcome.exitCode !== undefined) summary.exitCode = outcome.exitCode;
  if (outcome.digest !== undefined) summary.digest = outcome.digest;
  if (outcome.error !== undefined) summary.error = outcome.error;
  // ignoreErrors covers the step's own failure and timeout, not a run that is being stopped.
  const ignorable = status === 'failed' || status === 'timedOut';
  if (ignorable && step.ignoreErrors) summary.errorIgnored = true;
  context.events.stepFinished(summary);
  const verdict: StepVerdict = status === 'succeeded' || summary.errorIgnored ? 'continue' : 'stop';
  return { summary, verdict };
}
