/**
 * Custom requests and notifications shared by the VS Code client and the language server.
 * Types and method names only: both sides import this file, so it must not import Node or VS Code.
 */

/** Request: the fully rendered task (values file, `--set`, run variables, aliases). */
export const RENDER_PREVIEW_REQUEST = 'acrTasks/renderPreview';

export interface RenderPreviewParams {
  uri: string;
  /** Values file path (absolute, or relative to the task file's folder); default: the setting. */
  valuesFile?: string;
  set?: string[];
  /** Run variables to use (`ID`, `Registry`, …); unset ones are empty, as `acb render` without flags. */
  run?: Record<string, string>;
}

export interface PreviewProblem {
  line: number;
  character: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

export interface RenderPreviewResult {
  rendered: string;
  problems: PreviewProblem[];
}

/** Settings the server reads from the client (`acrTasks.*`). */
export interface ServerSettings {
  taskFileGlobs: string[];
  valuesFile: string;
  imageAliases: Record<string, string>;
}

export const DEFAULT_TASK_FILE_PATTERNS = ['acr-task.yaml', '*.acr-task.yaml', 'acb.yaml'] as const;

// ---------------------------------------------------------------------------------------------------------
// Runs (engine → client). One typed event stream per run; every text in it is already secret-masked.
// ---------------------------------------------------------------------------------------------------------

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timedOut';
/** `skipped`: never started (a dependency failed, or the run stopped first). */
export type StepStatus = 'succeeded' | 'failed' | 'cancelled' | 'timedOut' | 'skipped';
export type StepKind = 'cmd' | 'build' | 'push';

/** What starts a run (the client, the CLI, or later triggers); recorded with the run. */
export interface RunRequest {
  /** Absolute path of the task file. */
  taskFile: string;
  /** Context folder; default: the task file's folder. */
  context?: string;
  /** Values file (absolute, or relative to the task file's folder). */
  valuesFile?: string;
  set?: string[];
  /** Resolved secret values by secret id (from the editor's secret storage or a prompt); never logged. */
  secrets?: Record<string, string>;
  /** `$Registry` / `{{.Run.Registry}}`. */
  registry?: string;
  /** Run id to use instead of a generated one. */
  runId?: string;
  /** Run-wide limit in seconds (ACR's run timeout); default 3600. */
  timeoutSeconds?: number;
  /** Docker host (`unix://…`, `tcp://…`, `ssh://…`); default: the docker CLI's choice. */
  engine?: string;
  /** Why the run happened, e.g. `manual`, `cli`, `watch`. */
  trigger?: string;
  /** Plan only: nothing is created. */
  dryRun?: boolean;
}

/** A step as planned at run start. */
export interface PlannedStep {
  id: string;
  kind: StepKind;
  /** Step ids it waits for; empty for a step that starts at once. */
  dependsOn: string[];
  /** DAG level (0 starts at once). */
  level: number;
}

/** §10.4 image reference (acb's JSON names). */
export interface DependencyImageRefJson {
  registry: string;
  repository: string;
  tag?: string;
  digest: string;
  reference: string;
}

/** §10.4 dependency record, as acb prints it after a run. */
export interface DependencyRecordJson {
  image: DependencyImageRefJson | null;
  'runtime-dependency': DependencyImageRefJson;
  'buildtime-dependency': DependencyImageRefJson[] | null;
  git?: { 'git-head-revision': string };
}

export interface StepSummary {
  id: string;
  kind: StepKind;
  status: StepStatus;
  exitCode?: number;
  /** ISO time; absent for skipped steps. */
  startedAt?: string;
  durationMs?: number;
  /** Image digest (build: the built image's id; push: the pushed manifest digest of the last image). */
  digest?: string;
  error?: string;
  /** The step failed but `ignoreErrors: true` let the run go on. */
  errorIgnored?: boolean;
}

export interface RunStartedEvent {
  type: 'runStarted';
  runId: string;
  taskFile: string;
  context: string;
  trigger: string;
  startedAt: string;
  /** Where the engine is, e.g. `unix:///var/run/docker.sock`. */
  engine: string;
  steps: PlannedStep[];
  /** The run variables the task was rendered with (`ID`, `Registry`, `Date`, …). */
  runVariables: Record<string, string>;
}

/** Engine messages that belong to no step output: setup, cleanup, warnings. */
export interface RunMessageEvent {
  type: 'runMessage';
  runId: string;
  level: 'info' | 'warning' | 'error';
  stepId?: string;
  text: string;
}

export interface StepStartedEvent {
  type: 'stepStarted';
  runId: string;
  stepId: string;
  kind: StepKind;
  /** The resolved command, like ACR's log line (`docker run … image args`, `docker build …`, `docker push …`). */
  command: string;
  startedAt: string;
}

export interface StepOutputEvent {
  type: 'stepOutput';
  runId: string;
  stepId: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface StepFinishedEvent extends StepSummary {
  type: 'stepFinished';
  runId: string;
  stepId: string;
}

export interface RunFinishedEvent {
  type: 'runFinished';
  runId: string;
  status: Exclude<RunStatus, 'running'>;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** ACR-style: `failed to run step ID: <id>: <cause>`, `timed out`, `cancelled`. */
  error?: string;
  steps: StepSummary[];
  dependencies: DependencyRecordJson[];
}

export type RunEvent =
  RunStartedEvent | RunMessageEvent | StepStartedEvent | StepOutputEvent | StepFinishedEvent | RunFinishedEvent;
