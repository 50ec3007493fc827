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
  /** Run variables to use (`ID`, `Registry`, …); unset ones get sample values (`ca1`, `linux`, …). */
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

/** How a base image was identified: registry manifest digest, or engine image id (engine-only images). */
export interface ImageIdentityJson {
  source: 'registry' | 'engine';
  value: string;
}

/** Why a task run happened (task definitions and their triggers); recorded with the run. */
export type RunTriggerDetails =
  | { kind: 'manual' }
  | {
      kind: 'baseImage';
      changes: {
        reference: string;
        dependency: 'runtime' | 'buildtime';
        old: ImageIdentityJson;
        new: ImageIdentityJson;
      }[];
      /** Tasks whose runs led here in a cascade, first one first. */
      chain: string[];
      causedBy?: { task: string; runId: string };
    }
  | { kind: 'commit'; commit: string; branch: string; previous?: string }
  | { kind: 'schedule'; timer: string; cron: string; scheduledAt: string };

/** The task definition a run belongs to (runs of a task file or a quick build have none). */
export interface RunOrigin {
  /** Task name in the definitions file. */
  task: string;
  /** Absolute path of the definitions file. */
  definitionsFile: string;
  cause: RunTriggerDetails;
  /** One line for people, e.g. `base image …:latest changed sha256:0a1b… → sha256:2c3d…`. */
  reason: string;
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
  /** Set for runs of a defined task (`task run`, triggers). */
  origin?: RunOrigin;
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
  /**
   * Engine image id by image reference of the dependency records, so images that live only in the
   * engine (empty §10.4 digest) can still be watched by base-image triggers.
   */
  imageIds?: Record<string, string>;
}

export type RunEvent =
  RunStartedEvent | RunMessageEvent | StepStartedEvent | StepOutputEvent | StepFinishedEvent | RunFinishedEvent;

// ---------------------------------------------------------------------------------------------------------
// Runs over LSP (client ↔ server/src/lsp/runBridge.ts). The client only wires UI: it never parses a task
// file and never talks to Docker; everything below is answered by the server.
// ---------------------------------------------------------------------------------------------------------

/** Request: start a run. Resolves with its id as soon as the run is scheduled; events follow. */
export const START_RUN_REQUEST = 'acrTasks/startRun';

/** Which steps of the task run: all (default), one step alone, or a step with everything it waits for. */
export interface StepSelection {
  mode: 'only' | 'upTo';
  stepId: string;
}

export interface StartRunParams extends Omit<RunRequest, 'runId' | 'dryRun'> {
  steps?: StepSelection;
  /** Docker context name (used when `engine` is empty). */
  engineContext?: string;
}

export interface StartRunResult {
  runId: string;
}

/** Request: resolves with the run's final event. Cancelling this request (LSP `$/cancelRequest`) cancels the run. */
export const AWAIT_RUN_REQUEST = 'acrTasks/awaitRun';
export interface RunIdParams {
  runId: string;
}

/** Request: cancel a run; `cancelled` is false when no such run is active. */
export const CANCEL_RUN_REQUEST = 'acrTasks/cancelRun';
export interface CancelRunResult {
  cancelled: boolean;
}

/** Notification (server → client): one {@link RunEvent} of a run started through this connection. */
export const RUN_EVENT_NOTIFICATION = 'acrTasks/runEvent';

/** Request: quick build of a context (`az acr build`): a build step, plus a push step unless `noPush`. */
export const BUILD_CONTEXT_REQUEST = 'acrTasks/buildContext';

export interface BuildContextParams {
  /** Absolute context folder, or a git URL (`https://host/repo.git#ref:subdir`) or an http(s) tarball URL. */
  context: string;
  /**
   * The Dockerfile. Folder context: absolute (it may lie outside the folder, as with `az acr build -f`),
   * default `<context>/Dockerfile`. URL context: relative to the context root, default `Dockerfile`.
   */
  dockerfile?: string;
  /** Image names (`app:{{.Run.ID}}`); prefixed with the registry as ACR does. None → nothing is pushed. */
  tags: string[];
  /** `NAME=VALUE` (or `NAME`, which takes the value from the server's environment, as `az acr build`). */
  buildArgs?: string[];
  /** Like `buildArgs`, but the values are masked in every event, log and record. */
  secretBuildArgs?: string[];
  /** `os/arch[/variant]`. */
  platform?: string;
  target?: string;
  noPush?: boolean;
  noCache?: boolean;
  registry?: string;
  engine?: string;
  engineContext?: string;
  timeoutSeconds?: number;
}

/**
 * Request: what Build Context would send for these parameters, without building — files, bytes, the
 * largest files, skipped folders and warnings. URL contexts are fetched (into a temporary folder) first.
 */
export const CONTEXT_REPORT_REQUEST = 'acrTasks/contextReport';

export interface ContextReportParams {
  /** As {@link BuildContextParams.context}. */
  context: string;
  /** As {@link BuildContextParams.dockerfile}. */
  dockerfile?: string;
  /** Include every path sent, in tar order. */
  listPaths?: boolean;
  /** How many of the largest files to name (default 10). */
  largestCount?: number;
}

export interface ContextReportResult {
  source: 'local' | 'git' | 'tarball';
  /** The context folder, or the URL without credentials. */
  context: string;
  dockerfile: string;
  /** Where the Dockerfile is in what is sent (`<uuidhex>_Dockerfile` for a folder, as `az acr build` uploads it). */
  dockerfileInTar: string | undefined;
  /** The ignore file that applied, relative to the context. */
  ignoreFile: string | undefined;
  files: number;
  directories: number;
  symlinks: number;
  /** Sum of the file sizes. */
  totalBytes: number;
  /** Size of the tar stream itself. */
  tarBytes: number;
  /** Largest files first. */
  largest: { path: string; size: number }[];
  /** Excluded folders that were never read. */
  skippedDirectories: string[];
  /** Symlinks that point outside the context (sent as links; they dangle in the build). */
  externalSymlinks: string[];
  /** The ignore rules match the Dockerfile (docker sends it anyway; ACR's build fails, Azure/acr#613). */
  dockerfileExcluded: boolean;
  /** Everything the user should know: bad patterns, the Dockerfile excluded, dangling links. */
  warnings: string[];
  paths?: string[];
}

/** Request: the steps and declared secrets of a task file (open buffer or disk), for trees and CodeLens. */
export const TASK_OUTLINE_REQUEST = 'acrTasks/taskOutline';

export interface OutlineStep {
  id: string;
  /** undefined when the step has none or several of cmd/build/push. */
  kind?: StepKind;
  /** 0-based line and character of the step's first key. */
  line: number;
  character: number;
  dependsOn: string[];
  /** Short text such as `build: -t app .`. */
  detail: string;
}

export interface TaskOutline {
  steps: OutlineStep[];
  /** Ids of the task's `secrets:` entries (values come from the editor's secret storage). */
  secrets: string[];
}

/** Run history, as recorded by the run store. */
export interface RunHistoryEntry {
  runId: string;
  taskFile: string;
  context: string;
  trigger: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  error?: string;
  steps: StepSummary[];
  archived: boolean;
  /** Set for runs of a defined task: its name, and why it ran. */
  origin?: RunOrigin;
}

/** Request: recorded runs, newest first. */
export const LIST_RUNS_REQUEST = 'acrTasks/listRuns';
export interface ListRunsResult {
  runs: RunHistoryEntry[];
}

/** Request: the masked log of a run, or null when it is unknown. */
export const READ_RUN_LOG_REQUEST = 'acrTasks/readRunLog';
export interface ReadRunLogResult {
  text: string;
}

/** Request: delete a finished run's record and log. */
export const DELETE_RUN_REQUEST = 'acrTasks/deleteRun';

/** Request: keep (or stop keeping) a run beyond the retention period. */
export const ARCHIVE_RUN_REQUEST = 'acrTasks/archiveRun';
export interface ArchiveRunParams extends RunIdParams {
  archived: boolean;
}

/** Notification (server → client): the run history changed (a run was recorded, deleted or pruned). */
export const RUNS_CHANGED_NOTIFICATION = 'acrTasks/runsChanged';

// Task definitions and their triggers (the definitions file `.acr-tasks.yaml`, the trigger watcher):
// protocolTriggers.ts, re-exported here so one import serves all.
export * from './protocolTriggers';
