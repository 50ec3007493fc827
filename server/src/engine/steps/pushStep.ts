/**
 * A push step (spec §5.10, §5.4): the normalised images one after another, each with up to 3 attempts
 * and a back-off of 250 ms, then 500 ms (acb's; its third wait of 1 s would only precede a fourth
 * attempt that never comes). `retries`, `retryDelay` and `repeat` do not apply; `timeout` covers all images.
 */
import type { Step } from '../../task/model';
import { RegistryError } from '../ContainerRuntime';
import { deadline, sleep } from '../run/timing';
import { describeRegistryError } from './cmdStep';
import { errorText, type StepContext, type StepOutcome } from './stepContext';
import { planPushStep } from './stepPlan';

export const PUSH_ATTEMPTS = 3;
/** Milliseconds before attempt 2 and 3 (scaled like every engine time in tests). */
export const PUSH_BACKOFF_MS = [250, 500, 1000] as const;

export async function runPushStep(
  context: StepContext,
  step: Step,
  signal: AbortSignal,
  command: (text: string) => void,
): Promise<StepOutcome> {
  const { images, command: line } = planPushStep(step);
  command(line);
  const limit = deadline(signal, step.timeout * context.timing.msPerSecond);
  const scale = context.timing.msPerSecond / 1000;
  let digest: string | undefined;
  try {
    for (const image of images) {
      let lastError = '';
      let pushed = false;
      for (let attempt = 1; attempt <= PUSH_ATTEMPTS && !limit.signal.aborted; attempt++) {
        context.events.output(step.id, 'stdout', `Pushing image: ${image}, attempt ${attempt}\n`);
        try {
          const auth = await context.registryAuthFor(image, limit.signal);
          const result = await context.runtime.pushImage(image, auth, limit.signal, (text) =>
            context.events.output(step.id, 'stdout', text),
          );
          digest = result.digest ?? digest;
          pushed = true;
          break;
        } catch (error) {
          lastError = error instanceof RegistryError ? describeRegistryError(error) : errorText(error);
          if (limit.signal.aborted) break;
          context.events.output(step.id, 'stderr', `${lastError}\n`);
          if (attempt < PUSH_ATTEMPTS && !(await sleep(PUSH_BACKOFF_MS[attempt - 1] * scale, limit.signal))) break;
        }
      }
      if (limit.expired) return { status: 'timedOut', error: 'timed out' };
      if (signal.aborted) return { status: 'cancelled', error: 'cancelled' };
      if (!pushed) return { status: 'failed', error: `failed to push images successfully: ${lastError}` };
    }
  } finally {
    limit.dispose();
  }
  return digest === undefined ? { status: 'succeeded' } : { status: 'succeeded', digest };
}
