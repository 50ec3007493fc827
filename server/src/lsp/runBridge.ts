/**
 * Runs over LSP (STYLE boundary 4): a request starts a run and returns its id, the engine's masked events
 * go to the client as notifications, and a run stops through a cancel request or through LSP
 * cancellation of `awaitRun` — both abort the run's AbortController, and the engine cleans up. The run
 * history comes from the engine's run store. The bridge decides nothing about runs: it reads the inputs
 * (task text, values file, settings) and hands them to `runTask`.
 */
import { parseSafely } from '../task/yamlSafety';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { readFileIfExists } from '../engine/dockerEndpoint';
import { DockerodeRuntime } from '../engine/DockerodeRuntime';
import { resolveRegistryAuth } from '../engine/registryAuth';
import { generateRunId } from '../engine/run/runId';
import { runTask, type RunTaskOptions } from '../engine/run/runTask';
import { RunStore } from '../engine/runStore/RunStore';
import {
  ARCHIVE_RUN_REQUEST,
  AWAIT_RUN_REQUEST,
  BUILD_CONTEXT_REQUEST,
  CONTEXT_REPORT_REQUEST,
  CANCEL_RUN_REQUEST,
  DELETE_RUN_REQUEST,
  LIST_RUNS_REQUEST,
  READ_RUN_LOG_REQUEST,
  RUN_EVENT_NOTIFICATION,
  RUNS_CHANGED_NOTIFICATION,
  START_RUN_REQUEST,
  TASK_OUTLINE_REQUEST,
  type ArchiveRunParams,
  type BuildContextParams,
  type ContextReportParams,
  type CancelRunResult,
  type ListRunsResult,
  type ReadRunLogResult,
  type RunFinishedEvent,
  type RunIdParams,
  type StartRunParams,
  type StartRunResult,
  type TaskOutline,
} from '../protocol';
import { contextReport, prepareBuildContext } from './buildRequests';
import { runHistoryEntry } from './runRecords';
import { taskOutline } from './taskOutline';
import { answerRequest, errorText, userError } from './handler';

/** What the bridge needs from the language server. */
export interface RunBridgeHost {
  /** Text of a file: the open editor buffer when there is one, else the disk; undefined when unreadable. */
  readText(path: string): string | undefined;
  /** The values file the editor uses for this task file (setting, else `values.yaml` beside it). */
  valuesFileFor(taskFileUri: string, explicit?: string): string | undefined;
}

/** What every run started through the bridge shares. */
export type LaunchCommon = Pick<
  RunTaskOptions,
  'runtime' | 'store' | 'runId' | 'signal' | 'onEvent' | 'registryAuths' | 'resolveRegistryAuth'
> & { runtime: DockerodeRuntime; store: RunStore; runId: string; signal: AbortSignal };

interface ActiveRun {
  controller: AbortController;
  finished: Promise<RunFinishedEvent>;
}

/** How long shutdown waits for active runs to clean up after cancelling them. */
const SHUTDOWN_CLEANUP_MS = 30_000;

/** Another owner of runs (the trigger bridge): it answers cancel requests for its runs and stops at shutdown. */
export interface RunOwner {
  cancel(runId: string): boolean;
  shutdown(): Promise<void>;
}

export class RunBridge {
  private readonly active = new Map<string, ActiveRun>();
  private readonly owners: RunOwner[] = [];
  private readonly runtimes = new Map<string, Promise<DockerodeRuntime>>();

  constructor(
    private readonly connection: Connection,
    private readonly host: RunBridgeHost,
  ) {}

  /** Registers the run requests (call before `connection.listen()`). */
  register(): void {
    const { connection } = this;
    connection.onRequest(START_RUN_REQUEST, (params: StartRunParams) => answerRequest(() => this.startRun(params)));
    connection.onRequest(BUILD_CONTEXT_REQUEST, (params: BuildContextParams) =>
      answerRequest(() => this.buildContext(params)),
    );
    connection.onRequest(CONTEXT_REPORT_REQUEST, (params: ContextReportParams, token: CancellationToken) =>
      answerRequest(() => contextReport(params, token)),
    );
    connection.onRequest(AWAIT_RUN_REQUEST, (params: RunIdParams, token: CancellationToken) =>
      answerRequest(() => this.awaitRun(params.runId, token)),
    );
    connection.onRequest(CANCEL_RUN_REQUEST, (params: RunIdParams): CancelRunResult => ({
      cancelled: this.cancel(params.runId) || this.owners.some((owner) => owner.cancel(params.runId)),
    }));
    connection.onRequest(TASK_OUTLINE_REQUEST, (params: { uri: string }) =>
      answerRequest(() => Promise.resolve(this.outline(params.uri))),
    );
    connection.onRequest(LIST_RUNS_REQUEST, () => answerRequest(() => this.listRuns()));
    connection.onRequest(READ_RUN_LOG_REQUEST, (params: RunIdParams) =>
      answerRequest(() => this.readLog(params.runId)),
    );
    connection.onRequest(DELETE_RUN_REQUEST, (params: RunIdParams) =>
      answerRequest(() => this.deleteRun(params.runId)),
    );
    connection.onRequest(ARCHIVE_RUN_REQUEST, (params: ArchiveRunParams) =>
      answerRequest(() => this.archiveRun(params)),
    );
    // The editor closing must not leave containers, networks or volumes behind.
    connection.onShutdown(async () => {
      await Promise.allSettled([this.cancelAll(), ...this.owners.map((owner) => owner.shutdown())]);
    });
  }

  /** Lets another bridge's runs be cancelled through `cancelRun` and stopped at shutdown. */
  addRunOwner(owner: RunOwner): void {
    this.owners.push(owner);
  }

  private async store(): Promise<RunStore> {
    let retentionDays: number | undefined;
    try {
      const [days] = (await this.connection.workspace.getConfiguration([
        { section: 'acrTasks.runs.retentionDays' },
      ])) as unknown[];
      if (typeof days === 'number' && days > 0) retentionDays = days;
    } catch {
      // A client without workspace/configuration gets the default retention.
    }
    return new RunStore(retentionDays === undefined ? {} : { retentionDays });
  }

  private runtime(host: string | undefined, context: string | undefined): Promise<DockerodeRuntime> {
    const setting = host ? { host } : context ? { context } : {};
    const key = JSON.stringify(setting);
    let runtime = this.runtimes.get(key);
    if (!runtime) {
      runtime = DockerodeRuntime.fromEnvironment(setting);
      // A bad setting must not stick: the next run tries again.
      runtime.catch(() => this.runtimes.delete(key));
      this.runtimes.set(key, runtime);
    }
    return runtime;
  }

  private readValues(taskFile: string, explicit: string | undefined): Record<string, unknown> | undefined {
    const path = this.host.valuesFileFor(URI.file(taskFile).toString(), explicit);
    if (path === undefined) return undefined;
    const text = this.host.readText(path);
    if (text === undefined) throw userError(`cannot read the values file ${path}`);
    let parsed: unknown;
    try {
      parsed = parseSafely(text, { version: '1.1' });
    } catch (error) {
      throw userError(`${path}: invalid values file: ${errorText(error).split('\n')[0]}`);
    }
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed))
      throw userError(`${path}: a values file must be a YAML mapping`);
    return parsed as Record<string, unknown>;
  }

  private async startRun(params: StartRunParams): Promise<StartRunResult> {
    if (!isAbsolute(params.taskFile)) throw userError(`the task file must be an absolute path: ${params.taskFile}`);
    const taskText = this.host.readText(params.taskFile);
    if (taskText === undefined) throw userError(`cannot read the task file ${params.taskFile}`);
    const taskDir = dirname(params.taskFile);
    return this.launch({
      taskFile: params.taskFile,
      taskText,
      contextDir: params.context ? resolve(taskDir, params.context) : taskDir,
      values: this.readValues(params.taskFile, params.valuesFile),
      set: params.set ?? [],
      secrets: params.secrets ?? {},
      trigger: params.trigger ?? 'manual',
      ...(params.steps ? { steps: params.steps } : {}),
      readAliasSource: (src) => this.aliasSource(taskDir, src),
      ...(params.registry ? { registry: params.registry } : {}),
      ...(params.timeoutSeconds ? { timeoutSeconds: params.timeoutSeconds } : {}),
      engine: params.engine,
      engineContext: params.engineContext,
    });
  }

  /** Build Context: `az acr build` as a task of a build step and a push step (engine/quickBuild). */
  private buildContext(params: BuildContextParams): Promise<StartRunResult> {
    return this.launchWith(params.engine, params.engineContext, (common) => prepareBuildContext(params, common));
  }

  /** Alias `src` files relative to the task file; remote sources are not fetched by the editor. */
  private aliasSource(taskDir: string, src: string): { text: string } | { error: string } {
    if (/^[a-z]+:\/\//i.test(src)) return { error: `remote alias sources are not fetched by local runs: ${src}` };
    try {
      return { text: readFileSync(resolve(taskDir, src), 'utf8') };
    } catch (error) {
      return { error: `cannot read alias source ${src}: ${errorText(error)}` };
    }
  }

  private launch(
    options: Omit<RunTaskOptions, 'runtime' | 'store' | 'runId' | 'signal' | 'onEvent'> & {
      engine: string | undefined;
      engineContext: string | undefined;
    },
  ): Promise<StartRunResult> {
    const { engine, engineContext, ...rest } = options;
    return this.launchWith(engine, engineContext, (common) => Promise.resolve(() => runTask({ ...rest, ...common })));
  }

  /**
   * Starts a run in the background and answers with its id. `prepare` gets what every run shares (engine,
   * store, id, cancellation, events) and gives back the function that runs it; when `prepare` throws, no
   * run exists and the request fails.
   */
  private async launchWith(
    engine: string | undefined,
    engineContext: string | undefined,
    prepare: (common: LaunchCommon) => Promise<() => Promise<unknown>>,
  ): Promise<StartRunResult> {
    const store = await this.store();
    let runtime: DockerodeRuntime;
    try {
      runtime = await this.runtime(engine, engineContext);
    } catch (error) {
      throw userError(errorText(error));
    }
    // The id is chosen here so the client knows it before the first event arrives.
    const runId = await generateRunId((id) => this.active.has(id) || store.has(id));
    const controller = new AbortController();
    let resolveFinished: (event: RunFinishedEvent) => void = () => undefined;
    const finished = new Promise<RunFinishedEvent>((resolve) => (resolveFinished = resolve));
    // Reserved before preparing, so a concurrent request cannot pick the same id.
    this.active.set(runId, { controller, finished });
    let start: () => Promise<unknown>;
    try {
      start = await prepare({
        runtime,
        store,
        runId,
        signal: controller.signal,
        registryAuths: [],
        resolveRegistryAuth: (registryHost) =>
          resolveRegistryAuth(registryHost, { env: process.env, homeDir: os.homedir(), readFile: readFileIfExists }),
        onEvent: (event) => {
          void this.connection.sendNotification(RUN_EVENT_NOTIFICATION, event);
          if (event.type === 'runFinished') resolveFinished(event);
        },
      });
    } catch (error) {
      this.active.delete(runId);
      throw error;
    }
    start()
      .catch((error: unknown) => {
        // runTask reports failures as events; reaching here means the engine itself broke.
        const now = new Date().toISOString();
        const event: RunFinishedEvent = {
          type: 'runFinished',
          runId,
          status: 'failed',
          startedAt: now,
          finishedAt: now,
          durationMs: 0,
          error: errorText(error),
          steps: [],
          dependencies: [],
        };
        void this.connection.sendNotification(RUN_EVENT_NOTIFICATION, event);
        resolveFinished(event);
      })
      .finally(() => {
        this.active.delete(runId);
        void this.connection.sendNotification(RUNS_CHANGED_NOTIFICATION, {});
      });
    void this.connection.sendNotification(RUNS_CHANGED_NOTIFICATION, {});
    return { runId };
  }

  private async awaitRun(runId: string, token: CancellationToken): Promise<RunFinishedEvent> {
    const run = this.active.get(runId);
    if (!run) {
      const record = await (await this.store()).get(runId);
      if (!record || record.status === 'running') throw userError(`no active or recorded run ${runId}`);
      const entry = runHistoryEntry(record);
      return {
        type: 'runFinished',
        runId,
        status: entry.status === 'running' ? 'failed' : entry.status,
        startedAt: record.startedAt,
        finishedAt: record.finishedAt ?? record.startedAt,
        durationMs: record.durationMs ?? 0,
        steps: record.steps,
        dependencies: record.dependencies,
        ...(record.error === undefined ? {} : { error: record.error }),
      };
    }
    const subscription = token.onCancellationRequested(() => run.controller.abort());
    try {
      return await run.finished;
    } finally {
      subscription.dispose();
    }
  }

  private cancel(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run) return false;
    run.controller.abort();
    return true;
  }

  private async cancelAll(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolveLimit) => (timer = setTimeout(resolveLimit, SHUTDOWN_CLEANUP_MS)));
    await Promise.race([Promise.allSettled(runs.map((run) => run.finished)), limit]);
    clearTimeout(timer);
  }

  private outline(uri: string): TaskOutline {
    const text = this.host.readText(URI.parse(uri).fsPath);
    return text === undefined ? { steps: [], secrets: [] } : taskOutline(text);
  }

  private async listRuns(): Promise<ListRunsResult> {
    const records = await (await this.store()).list();
    return { runs: records.map(runHistoryEntry) };
  }

  private async readLog(runId: string): Promise<ReadRunLogResult | null> {
    const text = await (await this.store()).readLog(runId);
    return text === undefined ? null : { text };
  }

  private async deleteRun(runId: string): Promise<void> {
    if (this.active.has(runId)) throw userError(`run ${runId} is still running; cancel it first`);
    await (await this.store()).remove(runId);
    void this.connection.sendNotification(RUNS_CHANGED_NOTIFICATION, {});
  }

  private async archiveRun(params: ArchiveRunParams): Promise<void> {
    await (await this.store()).setArchived(params.runId, params.archived);
    void this.connection.sendNotification(RUNS_CHANGED_NOTIFICATION, {});
  }
}

/** Creates the bridge and registers its requests on the connection. */
export function registerRunBridge(connection: Connection, host: RunBridgeHost): RunBridge {
  const bridge = new RunBridge(connection, host);
  bridge.register();
  return bridge;
}
