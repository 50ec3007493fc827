/**
 * A build step (spec §5.8): the Dockerfile is read from the workspace volume and scanned for its base
 * images (§10.3; outside the step deadline, as acb's scan is), then the build runs under the
 * retry/repeat loop with the context taken from the workspace volume — so files written by earlier
 * steps are part of it — or, for a quick build, straight from its own source. Output is streamed as it
 * comes. A `--platform` the engine did not build for fails the step.
 */
import * as posix from 'node:path/posix';

import { dependencyRecords, scanDockerfileDependencies } from '../../task/dependencyScan';
import type { Step } from '../../task/model';
import type { BuildImageOptions } from '../ContainerRuntime';
import { checkBuiltPlatform, explainPlatformFailure } from '../quickBuild/platform';
import { runAttempts, type AttemptOutcome } from '../run/attempts';
import { loopOutcome } from './cmdStep';
import { errorText, type DirectBuildContext, type StepContext, type StepOutcome } from './stepContext';
import { planBuildStep, runLabels, type BuildPlan } from './stepPlan';
import { readVolumeFile, volumeBuildContext, workspaceSubpath } from './volumeContext';

function isInside(directory: string, path: string): boolean {
  return path.startsWith(`${directory}/`);
}

async function buildOnce(
  context: StepContext,
  step: Step,
  plan: BuildPlan,
  dockerfileText: Buffer,
  signal: AbortSignal,
  onText: (text: string) => void,
) {
  const direct = context.directBuildContext;
  if (direct) {
    const packed = await direct.pack();
    const result = await context.runtime.buildImage(
      packed.stream,
      buildOptions(context, plan, packed.dockerfileInTar, signal, onText),
    );
    await packed.done;
    return result;
  }
  const labels = runLabels(context.names.runId, step.id);
  const volume = context.names.workspaceVolume;
  const contextSubpath = workspaceSubpath(plan.contextDir);
  const dockerignore = await readVolumeFile(
    context.runtime,
    volume,
    posix.join(contextSubpath, '.dockerignore'),
    labels,
    signal,
  );
  const source = await context.runtime.readFromVolume(volume, contextSubpath, labels, signal);
  const inside = isInside(plan.contextDir, plan.dockerfile);
  const tar = volumeBuildContext({
    source,
    topDirectory: contextSubpath === '' ? '' : posix.basename(contextSubpath),
    ...(dockerignore ? { dockerignore: dockerignore.toString('utf8') } : {}),
    ...(inside
      ? { dockerfileInContext: posix.relative(plan.contextDir, plan.dockerfile) }
      : { externalDockerfile: dockerfileText }),
  });
  const result = await context.runtime.buildImage(
    tar.stream,
    buildOptions(context, plan, tar.dockerfileInTar ?? 'Dockerfile', signal, onText),
  );
  await tar.done;
  return result;
}

function buildOptions(
  context: StepContext,
  plan: BuildPlan,
  dockerfile: string,
  signal: AbortSignal,
  onText: (text: string) => void,
): BuildImageOptions {
  return {
    dockerfile,
    tags: plan.tags,
    buildArgs: plan.buildArgs,
    ...(plan.target !== undefined ? { target: plan.target } : {}),
    ...(plan.platform !== undefined ? { platform: plan.platform } : {}),
    noCache: plan.noCache,
    pull: plan.pull,
    labels: plan.labels,
    registryAuths: [...context.registryAuths],
    signal,
    onOutput: onText,
  };
}

/** The Dockerfile of a direct context (after fetching a remote one), or a failure message. */
async function directDockerfile(
  context: StepContext,
  direct: DirectBuildContext,
  step: Step,
  signal: AbortSignal,
): Promise<{ text: Buffer } | { error: string }> {
  try {
    await direct.prepare(signal, (text) => context.events.output(step.id, 'stdout', text));
    return { text: await direct.readDockerfile() };
  } catch (error) {
    return { error: errorText(error) };
  }
}

export async function runBuildStep(
  context: StepContext,
  step: Step,
  signal: AbortSignal,
  command: (text: string) => void,
): Promise<StepOutcome> {
  const planned = planBuildStep(context.task, step, context.environment);
  for (const warning of planned.warnings) context.events.message('warning', warning, step.id);
  if (!planned.ok) {
    command(`docker build ${step.build ?? ''}`);
    return { status: 'failed', error: planned.error };
  }
  const plan = planned.build;
  command(plan.command);

  let dockerfileText: Buffer | undefined;
  if (context.directBuildContext) {
    const read = await directDockerfile(context, context.directBuildContext, step, signal);
    if (signal.aborted) return { status: 'cancelled', error: 'cancelled' };
    if ('error' in read) return { status: 'failed', error: read.error };
    dockerfileText = read.text;
  } else {
    dockerfileText = await readVolumeFile(
      context.runtime,
      context.names.workspaceVolume,
      workspaceSubpath(plan.dockerfile),
      runLabels(context.names.runId, step.id),
      signal,
    );
    if (signal.aborted) return { status: 'cancelled', error: 'cancelled' };
    if (dockerfileText === undefined)
      return { status: 'failed', error: `the Dockerfile ${plan.dockerfile} does not exist in the workspace` };
  }
  const scan = scanDockerfileDependencies(dockerfileText.toString('utf8'), plan.scan);
  if (!scan.ok) return { status: 'failed', error: `dependency scan of ${plan.dockerfile}: ${scan.error}` };
  const records = dependencyRecords(plan.scan.tags, scan, context.gitCommit);
  if (!records.ok) return { status: 'failed', error: `dependency scan of ${plan.dockerfile}: ${records.error}` };

  let imageId: string | undefined;
  const loop = await runAttempts(step, {
    signal,
    timing: context.timing,
    onRetry: (message) => context.events.message('warning', message, step.id),
    attempt: async (attemptSignal, watcher): Promise<AttemptOutcome> => {
      try {
        const result = await buildOnce(context, step, plan, dockerfileText, attemptSignal, (text) => {
          watcher.write(text);
          context.events.output(step.id, 'stdout', text);
        });
        // The classic builder does not refuse a platform it cannot build for: it builds its own.
        if (plan.platform !== undefined)
          await checkBuiltPlatform(context.runtime, result.imageId, plan.platform, attemptSignal);
        imageId = result.imageId;
        return { ok: true };
      } catch (error) {
        const text = explainPlatformFailure(errorText(error), plan.platform);
        watcher.write(text);
        return { ok: false, error: text };
      }
    },
  });
  const outcome = loopOutcome(loop);
  if (outcome.status === 'succeeded') {
    context.recordDependencies(step.id, records.records);
    if (imageId !== undefined) outcome.digest = imageId;
  }
  return outcome;
}
