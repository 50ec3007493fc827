/**
 * Runs a task file against a container engine with ACR's semantics: run variables, secrets, setup of
 * the workspace/home/networks/volumes, the step DAG, dependency records, and cleanup of everything the
 * run created — after success, failure, timeout or cancel. Emits one typed, masked event stream and
 * (optionally) records the run in a {@link RunStore}.
 */
import type {
  DependencyRecordJson,
  PlannedStep,
  RunFinishedEvent,
  RunOrigin,
  RunStatus,
  StepSummary,
} from '../../protocol';
import type { DependencyRecord } from '../../task/dependencyScan';
import type { StepSelection } from '../../protocol';
import { selectSteps } from './stepSelection';
import { buildTaskGraph, type TaskGraph } from '../../task/graph';
import { ROOT_STEP_ID, type RunVariables, type Task } from '../../task/model';
import { type ContainerRuntime, type EngineInfo, type RegistryAuth, type RunResources } from '../ContainerRuntime';
import { normalizeRegistryHost, registryHostOfImage } from '../registryAuth';
import type { RunStore } from '../runStore/RunStore';
import { SecretMasker } from '../secrets/masker';
import type { KeyVaultSecretResolver } from '../secrets/secretResolver';
import { runStep } from '../steps/runStep';
import type { DirectBuildContext, StepContext } from '../steps/stepContext';
import { fillDependencyDigests } from './dependencyDigests';
import { duplicateWhenProblems, type LoadForRunInput } from './loadForRun';
import { resolveRun } from './resolveRun';
import { cleanUpRun } from './runCleanup';
import { RunEvents, type RunEventListener } from './runEvents';
import { generateRunId, isValidRunId } from './runId';
import { runResourceNames, setUpRun, workspaceVolumeName } from './runSetup';
import { buildRunVariables } from './runVariables';
import { scheduleGraph } from './scheduler';
import { deadline, REAL_TIMING, type Timing } from './timing';

export const DEFAULT_RUN_TIMEOUT_SECONDS = 3600;
const ENGINE_INFO_TIMEOUT_MS = 30_000;
const DIGEST_TIMEOUT_MS = 5 * 60_000;

export interface RunTaskOptions {
  runtime: ContainerRuntime;
  /** Run part of the task ("Run Step", "Run to Here"); steps outside it never start. */
  steps?: StepSelection;
  /** Path of the task file (for messages and the record). */
  taskFile: string;
  /** The task file's text as written. */
  taskText: string;
  /** Source context copied into the workspace volume. */
  contextDir: string;
  values?: Record<string, unknown>;
  set?: string[];
  /** Secret values by secret id (never logged; masked everywhere). */
  secrets?: Record<string, string>;
  /** Resolves task secrets that reference Key Vault and were not given. */
  keyVault?: KeyVaultSecretResolver;
  /** `$Registry`. The run logs into it when credentials are known. */
  registry?: string;
  /** Explicit registry credentials (win over `resolveRegistryAuth`). */
  registryAuths?: RegistryAuth[];
  /** Credential lookup for a registry host, e.g. registryAuth.ts over the docker config. */
  resolveRegistryAuth?: (registryHost: string, signal: AbortSignal) => Promise<RegistryAuth | undefined>;
  runId?: string;
  /** Why the run happens; default `manual`. */
  trigger?: string;
  /** Run-wide limit; default 3600 s (ACR's default run timeout). */
  timeoutSeconds?: number;
  /** `acb exec --network`: an existing network every step joins by default. */
  network?: string;
  /** Environment `$VAR` in cmd strings expands against; default empty (ACR's agent is unknowable). */
  runnerEnv?: Record<string, string>;
  /** `acb exec --env` entries. */
  cliEnv?: string[];
  /** Environment for Sprig's `env`/`expandenv`. */
  templateEnv?: Record<string, string>;
  readAliasSource?: LoadForRunInput['readAliasSource'];
  /**
   * Run variables with no local source (`GitTag`, `TriggeredBy`, `TaskName`, `Repository`, …). A
   * non-empty `Commit`/`Branch` wins over the context's checkout (a commit trigger's export has none).
   */
  runVariables?: Partial<RunVariables>;
  /** The task definition this run belongs to, and why it runs (recorded and sent with `runStarted`). */
  origin?: RunOrigin;
  /**
   * Quick builds (`az acr build`): build steps take their context from here instead of the workspace
   * volume, and no workspace or home volume is made (such a task has only build and push steps).
   */
  directBuildContext?: DirectBuildContext;
  /** The run's start (`$Date`); default now. Given when run variables were rendered before the run. */
  startedAt?: Date;
  /** Shown as warnings once the run has started (e.g. what a quick build will not do, and why). */
  warnings?: string[];
  /** Cancels the run (Ctrl+C, LSP cancellation). */
  signal?: AbortSignal;
  onEvent?: RunEventListener;
  store?: RunStore;
  timing?: Timing;
}

export interface RunResult {
  runId: string;
  status: Exclude<RunStatus, 'running'>;
  error?: string;
  steps: StepSummary[];
  dependencies: DependencyRecordJson[];
  /** What cleanup could not remove (empty lists normally). */
  leftovers: RunResources;
}

/** Planned steps with their parents and DAG levels. */
export function plannedSteps(task: Task, graph: TaskGraph): PlannedStep[] {
  const levelOf = new Map<string, number>();
  graph.levels.forEach((ids, level) => ids.forEach((id) => levelOf.set(id, level)));
  return task.steps
    .filter((step) => graph.parents.has(step.id))
    .map((step) => ({
      id: step.id,
      kind: step.kind ?? 'cmd',
      dependsOn: (graph.parents.get(step.id) ?? []).filter((id) => id !== ROOT_STEP_ID),
      level: levelOf.get(step.id) ?? 0,
    }));
}

/** Credentials by registry host: explicit ones first, then the lookup; cached for the run. */
function registryAuthLookup(options: RunTaskOptions, learn: (auth: RegistryAuth) => void) {
  const cache = new Map<string, Promise<RegistryAuth | undefined>>();
  return (imageOrRegistry: string, signal: AbortSignal): Promise<RegistryAuth | undefined> => {
    const host = imageOrRegistry.includes('/')
      ? registryHostOfImage(imageOrRegistry)
      : normalizeRegistryHost(imageOrRegistry);
    let pending = cache.get(host);
    if (!pending) {
      const explicit = options.registryAuths?.find((auth) => normalizeRegistryHost(auth.serveraddress) === host);
      pending = explicit
        ? Promise.resolve(explicit)
        : (options.resolveRegistryAuth?.(host, signal) ?? Promise.resolve(undefined)).catch(() => undefined);
      pending = pending.then((auth) => {
        if (auth) learn(auth);
        return auth;
      });
      cache.set(host, pending);
    }
    return pending;
  };
}

function secretsOf(auth: RegistryAuth): string[] {
  return [auth.password, auth.identitytoken].filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
}

export async function runTask(options: RunTaskOptions): Promise<RunResult> {
  const signal = options.signal ?? new AbortController().signal;
  const timing = options.timing ?? REAL_TIMING;
  const startedAt = options.startedAt ?? new Date();
  const store = options.store;
  const runId = options.runId ?? (await generateRunId((id) => store?.has(id) ?? false));
  let storeProblem: string | undefined;
  const recorder = await beginRecord(store, runId, options, startedAt).catch((problem: unknown) => {
    storeProblem = `the run is not recorded: ${problem instanceof Error ? problem.message : String(problem)}`;
    return undefined;
  });
  const events = new RunEvents(runId, new SecretMasker(Object.values(options.secrets ?? {})), (event) => {
    // A listener that throws (a closed connection, a full disk) must not stop the run or its cleanup.
    try {
      recorder?.onEvent(event);
    } catch {
      // the recorder reports its write errors on close
    }
    try {
      options.onEvent?.(event);
    } catch {
      // the caller's problem; the run goes on
    }
  });
  let steps: PlannedStep[] = [];
  let started = false;
  const start = (engine: string, runVariables: RunVariables) => {
    if (started) return;
    started = true;
    events.emit({
      type: 'runStarted',
      runId,
      taskFile: options.taskFile,
      context: options.contextDir,
      trigger: options.trigger ?? 'manual',
      startedAt: startedAt.toISOString(),
      engine,
      steps,
      runVariables: { ...runVariables },
      ...(options.origin ? { origin: options.origin } : {}),
    });
    if (storeProblem !== undefined) events.message('warning', storeProblem);
  };

  let status: RunResult['status'];
  let error: string | undefined;
  let engineReached = false;
  let summaries: StepSummary[] = [];
  const records: { stepId: string; records: DependencyRecord[] }[] = [];
  const runLimit = deadline(signal, (options.timeoutSeconds ?? DEFAULT_RUN_TIMEOUT_SECONDS) * timing.msPerSecond);
  let task: Task | undefined;
  let engine: EngineInfo | undefined;
  let imageIds: Record<string, string> | undefined;
  try {
    if (!isValidRunId(runId))
      throw new RunFailure(
        `invalid run id ${JSON.stringify(runId)}: use lowercase letters and digits, starting with a letter`,
      );
    engine = await options.runtime.info(
      AbortSignal.any([runLimit.signal, AbortSignal.timeout(ENGINE_INFO_TIMEOUT_MS)]),
    );
    engineReached = true;
    const { runVariables, loaded } = await resolveRun(options, {
      runId,
      startedAt,
      engine,
      signal: runLimit.signal,
    });
    if (!loaded.ok) {
      start(engine.endpoint, runVariables);
      for (const warning of loaded.warnings) events.message('warning', warning);
      throw new RunFailure(
        loaded.secretsUnresolved ? loaded.errors.join('\n') : `the task file has errors:\n${loaded.errors.join('\n')}`,
      );
    }
    events.addSecrets(Object.values(loaded.secrets));
    task = loaded.task;
    const duplicates = duplicateWhenProblems(options.taskFile, loaded.rendered, task);
    let graph = buildTaskGraph(task);
    if (options.steps) {
      if (!graph.parents.has(options.steps.stepId))
        throw new RunFailure(`${options.taskFile}: the task has no step '${options.steps.stepId}'`);
      graph = selectSteps(graph, options.steps);
    }
    steps = plannedSteps(task, graph);
    start(engine.endpoint, runVariables);
    for (const warning of [...loaded.warnings, ...(options.warnings ?? [])]) events.message('warning', warning);
    if (duplicates.length > 0) throw new RunFailure(duplicates.join('\n'));

    const registryAuthFor = registryAuthLookup(options, (auth) => events.addSecrets(secretsOf(auth)));
    const logins = [...(options.registryAuths ?? [])];
    if (options.registry) {
      const auth = await registryAuthFor(options.registry, runLimit.signal);
      if (auth && !logins.includes(auth)) logins.push(auth);
    }
    for (const login of logins) events.addSecrets(secretsOf(login));
    const names = runResourceNames(task, runId, engine, options.network);
    await setUpRun({
      runtime: options.runtime,
      task,
      names,
      contextDir: options.contextDir,
      sourceInWorkspace: options.directBuildContext === undefined,
      registryLogins: logins,
      events,
      signal: runLimit.signal,
    });

    const stepsById = new Map(task.steps.map((step) => [step.id, step]));
    const context: StepContext = {
      task,
      runtime: options.runtime,
      names,
      environment: { runnerEnv: options.runnerEnv ?? {}, cliEnv: options.cliEnv ?? [] },
      timing,
      events,
      registryAuthFor,
      registryAuths: logins,
      gitCommit: runVariables.Commit,
      recordDependencies: (stepId, stepRecords) => records.push({ stepId, records: stepRecords }),
      ...(options.directBuildContext ? { directBuildContext: options.directBuildContext } : {}),
    };
    const schedule = await scheduleGraph(
      graph,
      async (stepId, stepSignal) => (await runStep(context, stepsById.get(stepId)!, stepSignal)).verdict,
      runLimit.signal,
    );
    summaries = events.stepSummaries(steps);
    if (runLimit.expired) throw new RunFailure('timed out', 'timedOut');
    if (signal.aborted) throw new RunFailure('cancelled', 'cancelled');
    if (schedule.failedStep !== undefined) {
      const failed = summaries.find((summary) => summary.id === schedule.failedStep);
      throw new RunFailure(`failed to run step ID: ${schedule.failedStep}: ${failed?.error ?? 'failed'}`);
    }
    const all = ordered(records, steps).flatMap((entry) => entry.records);
    try {
      imageIds = await fillDependencyDigests(
        options.runtime,
        all,
        AbortSignal.any([signal, AbortSignal.timeout(DIGEST_TIMEOUT_MS)]),
      );
    } catch (digestError) {
      throw new RunFailure(digestError instanceof Error ? digestError.message : String(digestError));
    }
    status = 'succeeded';
  } catch (failure) {
    ({ status, error } = classify(failure, signal, runLimit.expired));
  } finally {
    runLimit.dispose();
  }
  if (!started)
    start(
      engine?.endpoint ?? 'unknown',
      buildRunVariables({ runId, startedAt, os: '', architecture: '', sharedVolume: workspaceVolumeName(runId) }),
    );
  if (error !== undefined) events.message('error', error);
  const leftovers = engineReached
    ? await cleanUpRun(options.runtime, runId, events)
    : { containers: [], networks: [], volumes: [] };
  if (summaries.length === 0) summaries = events.stepSummaries(steps);
  const dependencies =
    status === 'succeeded' ? (ordered(records, steps).flatMap((entry) => entry.records) as DependencyRecordJson[]) : [];
  const finishedAt = new Date();
  const finished: RunFinishedEvent = {
    type: 'runFinished',
    runId,
    status,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    steps: summaries,
    dependencies,
    ...(error === undefined ? {} : { error }),
    ...(status === 'succeeded' && imageIds ? { imageIds } : {}),
  };
  events.emit(finished);
  if (recorder) {
    await recorder.close().catch(() => undefined);
    await store?.prune().catch(() => undefined);
  }
  return {
    runId,
    status,
    steps: finished.steps,
    dependencies: finished.dependencies,
    leftovers,
    ...(finished.error === undefined ? {} : { error: events.mask(finished.error) }),
  };
}

/** A run-level failure with the status it stands for. */
class RunFailure extends Error {
  constructor(
    message: string,
    readonly status: RunResult['status'] = 'failed',
  ) {
    super(message);
  }
}

function classify(
  failure: unknown,
  signal: AbortSignal,
  timedOut: boolean,
): { status: RunResult['status']; error: string } {
  if (failure instanceof RunFailure) return { status: failure.status, error: failure.message };
  if (timedOut) return { status: 'timedOut', error: 'timed out' };
  if (signal.aborted) return { status: 'cancelled', error: 'cancelled' };
  return { status: 'failed', error: failure instanceof Error ? failure.message : String(failure) };
}

function ordered<T extends { stepId: string }>(entries: readonly T[], steps: readonly PlannedStep[]): T[] {
  const index = new Map(steps.map((step, position) => [step.id, position]));
  return [...entries].sort((a, b) => (index.get(a.stepId) ?? 0) - (index.get(b.stepId) ?? 0));
}

function beginRecord(store: RunStore | undefined, runId: string, options: RunTaskOptions, startedAt: Date) {
  if (!store || !isValidRunId(runId)) return Promise.resolve(undefined);
  return store.begin({
    id: runId,
    taskFile: options.taskFile,
    context: options.contextDir,
    trigger: options.trigger ?? 'manual',
    startedAt: startedAt.toISOString(),
    ...(options.origin ? { origin: options.origin } : {}),
  });
}
