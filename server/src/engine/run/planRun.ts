/**
 * The dry run (`acb exec --dry-run`, spec §5.12): the task is loaded exactly as for a run and every
 * step resolved to what it would do — container settings, build, push — without creating anything.
 * The engine is asked for its OS/architecture when it answers; otherwise this machine's are assumed.
 */
import type { PlannedStep } from '../../protocol';
import { buildTaskGraph } from '../../task/graph';
import type { RunVariables } from '../../task/model';
import type { ContainerRuntime, ContainerSpec, EngineInfo } from '../ContainerRuntime';
import { SecretMasker } from '../secrets/masker';
import { planBuildStep, planCmdStep, planPushStep, type BuildPlan } from '../steps/stepPlan';
import { duplicateWhenProblems } from './loadForRun';
import { resolveRun } from './resolveRun';
import { generateRunId } from './runId';
import { homeVolumeName, runResourceNames, workspaceVolumeName } from './runSetup';
import { plannedSteps, type RunTaskOptions } from './runTask';

export interface StepPlanView extends PlannedStep {
  /** The echoed command (`docker run …`, `docker build …`, `docker push …`). */
  command: string;
  container?: ContainerSpec;
  build?: BuildPlan;
  push?: string[];
  /** Why this step would fail before running anything. */
  error?: string;
}

export interface RunPlan {
  runId: string;
  engine: string;
  runVariables: RunVariables;
  /** Step ids per DAG level (level 0 starts at once). */
  levels: string[][];
  steps: StepPlanView[];
  networks: string[];
  volumes: string[];
  warnings: string[];
  /** Problems that would stop the run before any step (task errors, duplicate `when`). */
  errors: string[];
}

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

async function engineOrLocal(runtime: ContainerRuntime | undefined, warnings: string[]): Promise<EngineInfo> {
  if (runtime) {
    try {
      return await runtime.info(AbortSignal.timeout(10_000));
    } catch (error) {
      warnings.push(
        `engine not reachable (${error instanceof Error ? error.message : String(error)}); $OS/$Architecture are this machine's`,
      );
    }
  }
  return {
    endpoint: 'none (dry run)',
    os: process.platform === 'win32' ? 'windows' : 'linux',
    architecture: GOARCH[process.arch] ?? process.arch,
    serverVersion: '',
    apiVersion: '',
    localSocketPath: '/var/run/docker.sock',
  };
}

/** Resolves a run without creating anything. Secrets without a value render as empty; all output is masked. */
export async function planRun(
  options: Omit<RunTaskOptions, 'runtime'> & { runtime?: ContainerRuntime },
): Promise<RunPlan> {
  const warnings: string[] = [];
  const signal = options.signal ?? new AbortController().signal;
  const engine = await engineOrLocal(options.runtime, warnings);
  const runId = options.runId ?? (await generateRunId((id) => options.store?.has(id) ?? false));
  const { runVariables, loaded } = await resolveRun(options, {
    runId,
    startedAt: new Date(),
    engine,
    signal,
    missingSecrets: 'empty',
  });
  const plan: RunPlan = {
    runId,
    engine: engine.endpoint,
    runVariables,
    levels: [],
    steps: [],
    networks: [],
    volumes: [],
    warnings,
    errors: [],
  };
  const masker = new SecretMasker(Object.values(loaded.ok ? loaded.secrets : (options.secrets ?? {})));
  warnings.push(...loaded.warnings);
  if (!loaded.ok) {
    plan.errors.push(...loaded.errors);
    return masker.maskDeep(plan);
  }
  const { task } = loaded;
  plan.errors.push(...duplicateWhenProblems(options.taskFile, loaded.rendered, task));
  const graph = buildTaskGraph(task);
  plan.levels = graph.levels;
  const names = runResourceNames(task, runId, engine, options.network);
  plan.networks = names.networks.create.map((network) => network.name);
  plan.volumes = [workspaceVolumeName(runId), homeVolumeName(runId), ...names.volumes.values()];
  const environment = { runnerEnv: options.runnerEnv ?? {}, cliEnv: options.cliEnv ?? [] };
  const byId = new Map(task.steps.map((step) => [step.id, step]));
  for (const planned of plannedSteps(task, graph)) {
    const step = byId.get(planned.id)!;
    const view: StepPlanView = { ...planned, command: '' };
    if (step.kind === 'build') {
      const build = planBuildStep(task, step, environment);
      warnings.push(...build.warnings);
      if (build.ok) Object.assign(view, { build: build.build, command: build.build.command });
      else Object.assign(view, { error: build.error, command: `docker build ${step.build ?? ''}` });
    } else if (step.kind === 'push') {
      const push = planPushStep(step);
      Object.assign(view, { push: push.images, command: push.command });
    } else {
      const cmd = planCmdStep(task, step, names, environment);
      warnings.push(...cmd.warnings);
      if (cmd.ok) Object.assign(view, { container: cmd.spec, command: cmd.command });
      else Object.assign(view, { error: cmd.error, command: step.cmd ?? '' });
    }
    plan.steps.push(view);
  }
  return masker.maskDeep(plan);
}
