/**
 * Runs go through VS Code's task system (a CustomExecution whose pseudoterminal is a {@link RunTerminal}),
 * so a run's exit code is the task's, the terminal is reused per task, and the same runs can be declared
 * in tasks.json (`"type": "acr-task"` / `"type": "acr-build"`). This file turns a task file or a build
 * request into such a task, with the settings and secrets the run needs.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  TASK_OUTLINE_REQUEST,
  type BuildContextParams,
  type StartRunParams,
  type StepSelection,
  type TaskOutline,
} from '../../../server/src/protocol';
import type { SecretVault } from '../SecretVault';
import { engineParams, readSettings } from '../settings';
import { RunTerminal } from '../terminal/RunTerminal';
import type { RunManager } from './RunManager';
import { formatDuration } from './runModel';

export const TASK_RUN_TYPE = 'acr-task';
export const BUILD_RUN_TYPE = 'acr-build';

export interface TaskRunDefinition extends vscode.TaskDefinition {
  type: typeof TASK_RUN_TYPE;
  file: string;
  context?: string;
  values?: string;
  set?: string[];
  registry?: string;
  step?: string;
  upTo?: boolean;
}

export interface BuildRunDefinition extends vscode.TaskDefinition {
  type: typeof BUILD_RUN_TYPE;
  context: string;
  dockerfile?: string;
  tags?: string[];
  buildArgs?: string[];
  platform?: string;
  target?: string;
  noPush?: boolean;
}

function absolute(file: string, folder: vscode.WorkspaceFolder | undefined): string {
  return path.isAbsolute(file) ? file : path.resolve(folder?.uri.fsPath ?? process.cwd(), file);
}

/** Definitions of recent runs, kept in workspace state so Re-run works after a reload. */
const DEFINITIONS_KEY = 'acrTasks.runDefinitions';
const DEFINITIONS_KEPT = 100;

export type RunDefinition = TaskRunDefinition | BuildRunDefinition;

export class RunLauncher implements vscode.TaskProvider {
  constructor(
    private readonly client: BaseLanguageClient,
    private readonly runs: RunManager,
    private readonly secrets: SecretVault,
    private readonly state: vscode.Memento,
  ) {}

  /** How a run was started (its task definition), if it was started from this workspace. */
  definitionOf(runId: string): RunDefinition | undefined {
    return this.state.get<Record<string, RunDefinition>>(DEFINITIONS_KEY)?.[runId];
  }

  /** Starts a run again with its original definition. */
  rerun(definition: RunDefinition): Promise<string> {
    if (definition.type === BUILD_RUN_TYPE) return this.runBuild(definition);
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(definition.file));
    return this.execute(this.taskFor(definition, folder));
  }

  private remember(runId: string, definition: RunDefinition, folder: vscode.WorkspaceFolder | undefined): void {
    const stored = Object.entries(this.state.get<Record<string, RunDefinition>>(DEFINITIONS_KEY) ?? {});
    // Paths from tasks.json may be relative to their folder; Re-run needs them absolute.
    const normalized: RunDefinition =
      definition.type === BUILD_RUN_TYPE
        ? { ...definition, context: absolute(definition.context, folder) }
        : { ...definition, file: absolute(definition.file, folder) };
    stored.push([runId, normalized]);
    void this.state.update(DEFINITIONS_KEY, Object.fromEntries(stored.slice(-DEFINITIONS_KEPT)));
  }

  /** Runs a task file (whole, one step, or up to a step); resolves with the run id once it started. */
  runTaskFile(file: vscode.Uri, selection?: StepSelection): Promise<string> {
    const definition: TaskRunDefinition = { type: TASK_RUN_TYPE, file: file.fsPath };
    if (selection) Object.assign(definition, { step: selection.stepId, upTo: selection.mode === 'upTo' });
    return this.execute(this.taskFor(definition, vscode.workspace.getWorkspaceFolder(file)));
  }

  /** Runs a quick build; resolves with the run id once it started. */
  runBuild(definition: BuildRunDefinition): Promise<string> {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(definition.context));
    return this.execute(this.taskFor(definition, folder));
  }

  // TaskProvider: nothing is listed up front (the Tasks view lists task files); tasks.json entries resolve.
  provideTasks(): vscode.Task[] {
    return [];
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const definition = task.definition as TaskRunDefinition | BuildRunDefinition;
    const folder = typeof task.scope === 'object' ? task.scope : undefined;
    if (definition.type === TASK_RUN_TYPE && typeof definition.file === 'string')
      return this.taskFor(definition, folder, task.name);
    if (definition.type === BUILD_RUN_TYPE && typeof definition.context === 'string')
      return this.taskFor(definition, folder, task.name);
    return undefined;
  }

  private taskFor(
    definition: TaskRunDefinition | BuildRunDefinition,
    folder: vscode.WorkspaceFolder | undefined,
    name?: string,
  ): vscode.Task {
    const settings = readSettings(folder?.uri);
    const task = new vscode.Task(
      definition,
      folder ?? vscode.TaskScope.Workspace,
      name ?? this.nameOf(definition),
      'ACR Tasks',
      new vscode.CustomExecution(() => Promise.resolve(this.terminalFor(definition, folder))),
    );
    task.presentationOptions = {
      reveal: settings.revealTerminal === 'never' ? vscode.TaskRevealKind.Never : vscode.TaskRevealKind.Always,
      focus: false,
      panel: vscode.TaskPanelKind.Dedicated,
      clear: true,
      showReuseMessage: false,
    };
    return task;
  }

  private nameOf(definition: TaskRunDefinition | BuildRunDefinition): string {
    if (definition.type === BUILD_RUN_TYPE) return `build ${path.basename(definition.context)}`;
    const file = path.basename(definition.file);
    if (!definition.step) return file;
    return `${file} ${definition.upTo ? 'to' : 'step'} ${definition.step}`;
  }

  /** Pending "run id known" callbacks by task execution, so commands can return the id. */
  private readonly started = new Map<string, (runId: string) => void>();
  private readonly failedToStart = new Map<string, (error: unknown) => void>();

  private async execute(task: vscode.Task): Promise<string> {
    const key = JSON.stringify(task.definition);
    const runId = new Promise<string>((resolve, reject) => {
      this.started.set(key, resolve);
      this.failedToStart.set(key, reject);
    });
    const execution = await vscode.tasks.executeTask(task);
    // If the task ends without our terminal starting a run (the user chose not to restart an active
    // task, for instance), the caller must not wait forever.
    const ended = vscode.tasks.onDidEndTask((event) => {
      if (event.execution !== execution) return;
      ended.dispose();
      this.failedToStart.get(key)?.(new Error(`the task "${task.name}" ended before a run started`));
      this.started.delete(key);
      this.failedToStart.delete(key);
    });
    return runId;
  }

  private terminalFor(
    definition: TaskRunDefinition | BuildRunDefinition,
    folder: vscode.WorkspaceFolder | undefined,
  ): RunTerminal {
    const key = JSON.stringify(definition);
    const start = async () => {
      try {
        return definition.type === BUILD_RUN_TYPE
          ? await this.runs.startBuild(this.buildParams(definition, folder))
          : await this.runs.startTask(await this.taskParams(definition, folder));
      } catch (error) {
        this.failedToStart.get(key)?.(error);
        this.started.delete(key);
        this.failedToStart.delete(key);
        throw error;
      }
    };
    return new RunTerminal(this.runs, {
      start,
      onRunId: (runId) => {
        this.remember(runId, definition, folder);
        this.started.get(key)?.(runId);
        this.started.delete(key);
        this.failedToStart.delete(key);
      },
      onFinished: (event) => {
        if (event.status === 'succeeded' || event.status === 'cancelled') return;
        const open = 'Open Log';
        void vscode.window
          .showErrorMessage(`Run ${event.runId} ${event.status} after ${formatDuration(event.durationMs)}.`, open)
          .then((choice) => {
            if (choice === open) void vscode.commands.executeCommand('acrTasks.openRunLog', event.runId);
          });
      },
    });
  }

  private async taskParams(
    definition: TaskRunDefinition,
    folder: vscode.WorkspaceFolder | undefined,
  ): Promise<StartRunParams> {
    const taskFile = absolute(definition.file, folder);
    const settings = readSettings(folder?.uri);
    const outline = await this.client.sendRequest<TaskOutline>(TASK_OUTLINE_REQUEST, {
      uri: vscode.Uri.file(taskFile).toString(),
    });
    const params: StartRunParams = {
      taskFile,
      trigger: 'manual',
      secrets: await this.secrets.valuesFor(outline.secrets, true),
      ...engineParams(settings),
    };
    const registry = definition.registry ?? settings.registry;
    if (registry) params.registry = registry;
    if (definition.context) params.context = absolute(definition.context, folder);
    if (definition.values) params.valuesFile = absolute(definition.values, folder);
    if (definition.set) params.set = definition.set;
    if (definition.step) params.steps = { stepId: definition.step, mode: definition.upTo ? 'upTo' : 'only' };
    return params;
  }

  private buildParams(definition: BuildRunDefinition, folder: vscode.WorkspaceFolder | undefined): BuildContextParams {
    const settings = readSettings(folder?.uri);
    const context = absolute(definition.context, folder);
    const params: BuildContextParams = {
      context,
      tags: definition.tags ?? [],
      noPush: definition.noPush ?? settings.noPush,
      ...engineParams(settings),
    };
    if (definition.dockerfile) params.dockerfile = path.resolve(context, definition.dockerfile);
    if (settings.registry) params.registry = settings.registry;
    if (definition.buildArgs) params.buildArgs = definition.buildArgs;
    if (definition.platform) params.platform = definition.platform;
    if (definition.target) params.target = definition.target;
    return params;
  }
}
