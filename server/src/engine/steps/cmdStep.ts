/**
 * A cmd step (spec §5.6, §5.4): the optional pre-pull (`pull`, with its own retries, outside the step
 * deadline), then the container under the retry/repeat loop. A detached step ends once its container
 * has started; it keeps running until the run's cleanup.
 */
import type { Step } from '../../task/model';
import { RegistryError } from '../ContainerRuntime';
import { runAttempts, type AttemptOutcome } from '../run/attempts';
import { sleep } from '../run/timing';
import { errorText, type StepContext, type StepOutcome } from './stepContext';
import { planCmdStep } from './stepPlan';

async function prePull(
  context: StepContext,
  step: Step,
  image: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  let lastError = '';
  for (let attempt = 0; attempt <= step.cmdDownloadRetries; attempt++) {
    if (attempt > 0 && !(await sleep(step.cmdDownloadRetryDelay * context.timing.msPerSecond, signal))) break;
    try {
      const auth = await context.registryAuthFor(image, signal);
      await context.runtime.pullImage(image, auth, signal, (text) => context.events.output(step.id, 'stdout', text));
      return undefined;
    } catch (error) {
      lastError = errorText(error);
      if (signal.aborted) break;
      if (attempt < step.cmdDownloadRetries)
        context.events.message('warning', `pull of ${image} failed (${lastError}); retrying`, step.id);
    }
  }
  return `failed to pull ${image}: ${lastError}`;
}

/** Pulls the image when the engine does not have it, as `docker run` does. */
async function ensureImage(context: StepContext, step: Step, image: string, signal: AbortSignal): Promise<void> {
  if (await context.runtime.inspectImage(image, signal)) return;
  const auth = await context.registryAuthFor(image, signal);
  context.events.output(step.id, 'stderr', `Unable to find image '${image}' locally\n`);
  await context.runtime.pullImage(image, auth, signal, (text) => context.events.output(step.id, 'stderr', text));
}

export async function runCmdStep(
  context: StepContext,
  step: Step,
  signal: AbortSignal,
  command: (text: string) => void,
): Promise<StepOutcome> {
  const plan = planCmdStep(context.task, step, context.names, context.environment);
  for (const warning of plan.warnings) context.events.message('warning', warning, step.id);
  if (!plan.ok) {
    command(step.cmd ?? '');
    return { status: 'failed', error: plan.error };
  }
  command(plan.command);
  const { spec } = plan;
  if (step.pull) {
    const pullError = await prePull(context, step, spec.image, signal);
    if (pullError !== undefined)
      return signal.aborted ? { status: 'cancelled', error: 'cancelled' } : { status: 'failed', error: pullError };
  }
  const loop = await runAttempts(step, {
    signal,
    timing: context.timing,
    onRetry: (message) => context.events.message('warning', message, step.id),
    attempt: async (attemptSignal, watcher): Promise<AttemptOutcome> => {
      try {
        // A container left by an earlier attempt (ours, with --rm) must not block the name; with
        // `keep: true` ACR's second attempt collides with the first container, and so does ours.
        if (!step.keep) await context.runtime.removeContainer(spec.name, attemptSignal);
        await ensureImage(context, step, spec.image, attemptSignal);
        const result = await context.runtime.runContainer(spec, {
          signal: attemptSignal,
          detach: step.detach,
          // The step ends at its container's exit; the engine's removal of it (90–250 ms of layer
          // deletion) overlaps the dependent steps instead of delaying them (bench/engine: the 3×3 DAG of
          // `sleep 1` about 0.26 s faster, 8 of 9 paired rounds). Nothing waits on the name: every step
          // has its own, a retry removes (or waits for) the earlier attempt's container first, and the
          // run's cleanup waits for removals still in progress.
          returnAtExit: true,
          onOutput: (stream, chunk) => {
            watcher.write(chunk.toString('utf8'));
            context.events.output(step.id, stream, chunk);
          },
        });
        if (result.exitCode === undefined || result.exitCode === 0)
          return result.exitCode === undefined ? { ok: true } : { ok: true, exitCode: 0 };
        return { ok: false, exitCode: result.exitCode, error: `exit status ${result.exitCode}` };
      } catch (error) {
        const text = error instanceof RegistryError ? describeRegistryError(error) : errorText(error);
        watcher.write(text);
        return { ok: false, error: text };
      }
    },
  });
  return loopOutcome(loop);
}

/** Maps the attempt loop's result to a step outcome (shared by cmd and build steps). */
export function loopOutcome(loop: {
  ok: boolean;
  timedOut: boolean;
  cancelled: boolean;
  exitCode?: number;
  errors: string[];
}): StepOutcome {
  const base = loop.exitCode === undefined ? {} : { exitCode: loop.exitCode };
  if (loop.timedOut) return { ...base, status: 'timedOut', error: 'timed out' };
  if (loop.cancelled) return { ...base, status: 'cancelled', error: 'cancelled' };
  if (!loop.ok) return { ...base, status: 'failed', error: loop.errors.join('; ') };
  return { ...base, status: 'succeeded' };
}

/** Registry failures in words a user can act on (push steps and implicit pulls). */
export function describeRegistryError(error: RegistryError): string {
  const host = error.reference.includes('/') ? error.reference.slice(0, error.reference.indexOf('/')) : 'docker.io';
  if (error.status === 401 || error.status === 403) {
    return `${error.reference}: the registry ${host} refused the credentials (HTTP ${error.status}); log in with \`docker login ${host}\` or pass credentials for it`;
  }
  if (error.status === 404) return `${error.reference}: not found (HTTP 404): ${error.message}`;
  if (/ECONNREFUSED|connection refused/i.test(error.message)) {
    return `${error.reference}: cannot connect to the registry ${host} (connection refused): is it running?`;
  }
  return `${error.reference}: ${error.message}`;
}
