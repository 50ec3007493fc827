/**
 * Task definitions in the editor: one trigger watcher per workspace folder that has a definitions file
 * (`.acr-tasks.yaml`), running while the workspace is open unless `acrTasks.triggers.watch` is off;
 * the trigger state for the Tasks view; `task run` from the editor; diagnostics for open definitions
 * files. Triggered runs' events go to the client as run events (so they appear in the Runs view with
 * their reason), and watcher events as notifications (the client shows failures). Like the run bridge,
 * this only wires: the watcher decides.
 */
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import { basename, dirname } from 'node:path';
import {
  DiagnosticSeverity,
  ErrorCodes,
  ResponseError,
  type Connection,
  type Diagnostic,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';

import { readFileIfExists } from '../engine/dockerEndpoint';
import { DockerodeRuntime } from '../engine/DockerodeRuntime';
import { resolveRegistryAuth } from '../engine/registryAuth';
import { RunStore } from '../engine/runStore/RunStore';
import { definitionsPath, readDefinitionsFile } from '../engine/triggers/definitionsFile';
import { TriggerWatcher } from '../engine/triggers/TriggerWatcher';
import { historyTriggerStates } from '../engine/triggers/triggerStates';
import { runsByTask } from '../engine/triggers/watcherState';
import {
  RUN_DEFINED_TASK_REQUEST,
  RUN_EVENT_NOTIFICATION,
  RUNS_CHANGED_NOTIFICATION,
  TRIGGER_STATE_CHANGED_NOTIFICATION,
  TRIGGER_STATE_REQUEST,
  WATCHER_EVENT_NOTIFICATION,
  WORKSPACE_TRUST_NOTIFICATION,
  type RunDefinedTaskParams,
  type WorkspaceTrustParams,
  type StartRunResult,
  type TriggerStateResult,
} from '../protocol';
import { DEFINITIONS_FILE_NAME } from '../task/definitions/model';
import { parseDefinitions } from '../task/definitions/parseDefinitions';
import { DIAGNOSTIC_SOURCE } from '../task/diagnostic';
import { answerRequest, errorText } from './handler';

/** Settings under `acrTasks` the bridge reads. */
export interface TriggerSettings {
  watch: boolean;
  pollSeconds: number;
  engineHost: string;
  engineContext: string;
  retentionDays?: number;
}

export const DEFAULT_TRIGGER_SETTINGS: TriggerSettings = {
  watch: true,
  pollSeconds: 60,
  engineHost: '',
  engineContext: '',
};

export interface TriggerBridgeHost {
  workspaceFolders(): readonly string[];
}

/** Problems of a definitions file as LSP diagnostics. */
export function definitionsDiagnostics(document: TextDocument): Diagnostic[] {
  const severities = {
    error: DiagnosticSeverity.Error,
    warning: DiagnosticSeverity.Warning,
    information: DiagnosticSeverity.Information,
    hint: DiagnosticSeverity.Hint,
  };
  return parseDefinitions(document.getText()).diagnostics.map((problem) => ({
    range: { start: document.positionAt(problem.span.start), end: document.positionAt(problem.span.end) },
    severity: severities[problem.severity],
    code: problem.code,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
  }));
}

export function isDefinitionsUri(uri: string): boolean {
  return uri.startsWith('file:') && basename(URI.parse(uri).fsPath) === DEFINITIONS_FILE_NAME;
}

function readSettings(raw: unknown): TriggerSettings {
  const section = (raw ?? {}) as {
    triggers?: { watch?: unknown; pollSeconds?: unknown };
    engine?: { host?: unknown; context?: unknown };
    runs?: { retentionDays?: unknown };
  };
  const poll = section.triggers?.pollSeconds;
  const days = section.runs?.retentionDays;
  return {
    watch: section.triggers?.watch !== false,
    pollSeconds: typeof poll === 'number' && poll >= 1 ? poll : DEFAULT_TRIGGER_SETTINGS.pollSeconds,
    engineHost: typeof section.engine?.host === 'string' ? section.engine.host : '',
    engineContext: typeof section.engine?.context === 'string' ? section.engine.context : '',
    ...(typeof days === 'number' && days > 0 ? { retentionDays: days } : {}),
  };
}

export class TriggerBridge {
  private readonly watchers = new Map<string, TriggerWatcher>();
  /** Folders whose tasks were run by hand while triggers are off: watchers that only run `runNow`. */
  private readonly manual = new Map<string, TriggerWatcher>();
  private settings: TriggerSettings = DEFAULT_TRIGGER_SETTINGS;
  private settingsKey = '';
  /** Nothing is watched until the client says the workspace is trusted. */
  private trusted = false;
  private stateTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly host: TriggerBridgeHost,
  ) {}

  register(): void {
    const { connection } = this;
    connection.onRequest(TRIGGER_STATE_REQUEST, () => answerRequest(() => this.state()));
    connection.onNotification(WORKSPACE_TRUST_NOTIFICATION, (params: WorkspaceTrustParams) => {
      this.trusted = params.trusted === true;
      void this.settingsChanged();
    });
    connection.onRequest(RUN_DEFINED_TASK_REQUEST, (params: RunDefinedTaskParams) =>
      answerRequest(() => this.runDefinedTask(params)),
    );
    const validate = (document: TextDocument) => {
      if (isDefinitionsUri(document.uri))
        void connection.sendDiagnostics({
          uri: document.uri,
          version: document.version,
          diagnostics: definitionsDiagnostics(document),
        });
    };
    this.documents.onDidOpen((event) => validate(event.document));
    this.documents.onDidChangeContent((event) => validate(event.document));
    this.documents.onDidSave((event) => {
      if (isDefinitionsUri(event.document.uri))
        void this.definitionsSaved(dirname(URI.parse(event.document.uri).fsPath));
    });
  }

  /** Call when `acrTasks` settings may have changed (also once after initialization). */
  async settingsChanged(): Promise<void> {
    try {
      const [section] = (await this.connection.workspace.getConfiguration([{ section: 'acrTasks' }])) as unknown[];
      this.settings = readSettings(section);
    } catch {
      // A client without workspace/configuration keeps the defaults.
    }
    const key = JSON.stringify([this.settings, this.host.workspaceFolders(), this.trusted]);
    if (key === this.settingsKey) return;
    this.settingsKey = key;
    await this.stopAll('finish');
    if (this.watching) for (const folder of this.host.workspaceFolders()) await this.ensureWatcher(folder);
    this.stateChanged();
  }

  /** Triggers run only in a trusted workspace, and only when the setting allows. */
  private get watching(): boolean {
    return this.settings.watch && this.trusted;
  }

  /** Stops every watcher; runs are cancelled (the editor closing must leave nothing behind). */
  async shutdown(): Promise<void> {
    await this.stopAll('cancel');
  }

  /** Cancels a run one of the watchers started. */
  cancel(runId: string): boolean {
    return [...this.watchers.values(), ...this.manual.values()].some((watcher) => watcher.cancel(runId));
  }

  private async stopAll(mode: 'finish' | 'cancel'): Promise<void> {
    const watchers = [...this.watchers.values(), ...this.manual.values()];
    this.watchers.clear();
    this.manual.clear();
    await Promise.allSettled(watchers.map((watcher) => watcher.stop(mode)));
  }

  private async definitionsSaved(folder: string): Promise<void> {
    const watcher = this.watchers.get(folder);
    if (watcher) await watcher.check();
    else if (this.watching && this.host.workspaceFolders().includes(folder)) await this.ensureWatcher(folder);
    this.stateChanged();
  }

  private store(): RunStore {
    return new RunStore(
      this.settings.retentionDays === undefined ? {} : { retentionDays: this.settings.retentionDays },
    );
  }

  private async ensureWatcher(folder: string, manualOnly = false): Promise<TriggerWatcher | undefined> {
    const existing = (manualOnly ? this.manual : this.watchers).get(folder);
    if (existing) return existing;
    if (!existsSync(definitionsPath(folder))) return undefined;
    let runtime: DockerodeRuntime;
    try {
      const setting = this.settings.engineHost
        ? { host: this.settings.engineHost }
        : this.settings.engineContext
          ? { context: this.settings.engineContext }
          : {};
      runtime = await DockerodeRuntime.fromEnvironment(setting);
    } catch (error) {
      void this.connection.sendNotification(WATCHER_EVENT_NOTIFICATION, {
        type: 'problem',
        key: 'engine',
        message: errorText(error),
      });
      return undefined;
    }
    const watcher = new TriggerWatcher({
      folder,
      runtime,
      store: this.store(),
      pollSeconds: this.settings.pollSeconds,
      resolveRegistryAuth: (host) =>
        resolveRegistryAuth(host, { env: process.env, homeDir: os.homedir(), readFile: readFileIfExists }),
      onEvent: (event) => {
        void this.connection.sendNotification(WATCHER_EVENT_NOTIFICATION, event);
        if (event.type === 'runStarted' || event.type === 'runFinished' || event.type === 'runNotStarted')
          void this.connection.sendNotification(RUNS_CHANGED_NOTIFICATION, {});
      },
      onRunEvent: (event) => void this.connection.sendNotification(RUN_EVENT_NOTIFICATION, event),
      onStateChanged: () => this.stateChanged(),
      manualOnly,
    });
    if (manualOnly) {
      this.manual.set(folder, watcher);
      return watcher;
    }
    this.watchers.set(folder, watcher);
    await watcher.start();
    return watcher;
  }

  /** Coalesces state notifications (a poll can change many things at once). */
  private stateChanged(): void {
    if (this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      void this.connection.sendNotification(TRIGGER_STATE_CHANGED_NOTIFICATION, {});
    }, 200);
  }

  private async state(): Promise<TriggerStateResult> {
    const files: TriggerStateResult['files'] = [];
    for (const folder of this.host.workspaceFolders()) {
      const watcher = this.watchers.get(folder);
      const file = await readDefinitionsFile(folder);
      if (!file.exists) continue;
      const problems = file.parsed.diagnostics
        .filter((problem) => problem.severity === 'error')
        .map((problem) => problem.message);
      if (watcher) {
        files.push({ definitionsFile: file.path, watching: true, tasks: watcher.state(), problems });
        continue;
      }
      // Not watching (setting off): what the history says, without live checks.
      const history = runsByTask(await this.store().list(), file.path);
      const tasks = historyTriggerStates(file, history);
      files.push({ definitionsFile: file.path, watching: false, tasks, problems });
    }
    return { files };
  }

  private async runDefinedTask(params: RunDefinedTaskParams): Promise<StartRunResult> {
    const folder = dirname(params.definitionsFile);
    // With triggers off, a watcher that only runs tasks by hand (no polling, timers or branches).
    const watcher = this.watchers.get(folder) ?? (await this.ensureWatcher(folder, true));
    if (!watcher)
      throw new ResponseError(
        ErrorCodes.InvalidParams,
        `no definitions file ${params.definitionsFile}, or the engine is not reachable`,
      );
    try {
      return { runId: await watcher.runNow(params.task, params.set ?? []) };
    } catch (error) {
      throw new ResponseError(ErrorCodes.InvalidParams, errorText(error));
    }
  }
}

/** Creates the bridge and registers its requests and document listeners. */
export function registerTriggerBridge(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  host: TriggerBridgeHost,
): TriggerBridge {
  const bridge = new TriggerBridge(connection, documents, host);
  bridge.register();
  return bridge;
}
