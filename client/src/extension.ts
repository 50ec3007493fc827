/**
 * Activation: the language client (everything that reads a task file or talks to Docker lives in the
 * server), then the UI that shows runs: task provider, terminals, trees, CodeLens, status bar, commands.
 * The returned API is what the in-host tests inspect.
 */
import { DefinedTasks } from './triggers/DefinedTasks';
import { TasksWithTriggersTreeProvider } from './triggers/TasksWithTriggersTreeProvider';
import { registerTriggerCommands } from './triggers/triggerCommands';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { CommandContext } from './commands/CommandContext';
import { registerCommands } from './commands';
import { RENDERED_SCHEME, RenderedTaskDocuments } from './documents/RenderedTaskDocuments';
import { RUN_LOG_SCHEME, RunLogDocuments } from './documents/RunLogDocuments';
import { createLanguageClient } from './languageClient';
import { SecretMask } from './MaskingLogChannel';
import { BUILD_RUN_TYPE, RunLauncher, TASK_RUN_TYPE } from './runs/RunLauncher';
import { RunManager } from './runs/RunManager';
import { RunStatusBar } from './RunStatusBar';
import { SecretVault } from './SecretVault';
import { StepCodeLensProvider } from './StepCodeLensProvider';
import { DockerfileLinkProvider } from './terminal/dockerfileLinks';
import { findTaskFiles, TASK_FILE_GLOB } from './taskFiles';
import { RunsTreeProvider } from './tree/RunsTreeProvider';
import { TasksTreeProvider } from './tree/TasksTreeProvider';

export interface AcrTasksApi {
  client: LanguageClient;
  runs: RunManager;
  launcher: RunLauncher;
  tasksTree: TasksTreeProvider;
  /** The Tasks view as shown: defined tasks with their triggers, then task files. */
  tasksView: TasksWithTriggersTreeProvider;
  runsTree: RunsTreeProvider;
  secrets: SecretVault;
}

let client: LanguageClient | undefined;

/** Keeps the `acrTasks.taskFilePaths` context key (menus on files matched by user globs) current. */
async function updateTaskFileContext(): Promise<void> {
  const paths = (await findTaskFiles()).map((uri) => uri.fsPath);
  await vscode.commands.executeCommand('setContext', 'acrTasks.taskFilePaths', paths);
}

export async function activate(context: vscode.ExtensionContext): Promise<AcrTasksApi> {
  const secretMask = new SecretMask();
  client = createLanguageClient(context, secretMask);
  await client.start();

  const runs = new RunManager(client);
  const secrets = new SecretVault(context, secretMask);
  const launcher = new RunLauncher(client, runs, secrets, context.workspaceState);
  const tasksTree = new TasksTreeProvider(client, runs);
  const runsTree = new RunsTreeProvider(client, runs);
  const runLogs = new RunLogDocuments(client, runs);
  const renderedTasks = new RenderedTaskDocuments(client, runs);
  const codeLenses = new StepCodeLensProvider(tasksTree);
  // Task definitions (.acr-tasks.yaml) and their triggers appear in the Tasks view beside task files.
  const definedTasks = new DefinedTasks(client);
  const tasksView = new TasksWithTriggersTreeProvider(tasksTree, definedTasks);
  const ctx: CommandContext = {
    extension: context,
    client,
    runs,
    launcher,
    tasksTree,
    runsTree,
    secrets,
    runLogs,
    renderedTasks,
  };

  const taskFileWatcher = vscode.workspace.createFileSystemWatcher(TASK_FILE_GLOB);
  const refreshContext = () => void updateTaskFileContext();
  context.subscriptions.push(
    runs,
    tasksTree,
    definedTasks,
    tasksView,
    runsTree,
    runLogs,
    renderedTasks,
    codeLenses,
    new RunStatusBar(runs),
    vscode.window.createTreeView('acrTasks.tasks', { treeDataProvider: tasksView, showCollapseAll: true }),
    vscode.window.createTreeView('acrTasks.runs', { treeDataProvider: runsTree }),
    vscode.tasks.registerTaskProvider(TASK_RUN_TYPE, launcher),
    vscode.tasks.registerTaskProvider(BUILD_RUN_TYPE, launcher),
    vscode.workspace.registerTextDocumentContentProvider(RUN_LOG_SCHEME, runLogs),
    vscode.workspace.registerTextDocumentContentProvider(RENDERED_SCHEME, renderedTasks),
    vscode.languages.registerCodeLensProvider({ scheme: 'file', language: 'yaml' }, codeLenses),
    vscode.window.registerTerminalLinkProvider(
      new DockerfileLinkProvider(runs, (runId) => {
        const definition = launcher.definitionOf(runId);
        return definition?.type === BUILD_RUN_TYPE ? definition.dockerfile : undefined;
      }),
    ),
    taskFileWatcher,
    taskFileWatcher.onDidCreate(refreshContext),
    taskFileWatcher.onDidDelete(refreshContext),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('acrTasks.taskFileGlobs')) refreshContext();
    }),
    ...registerCommands(ctx),
    ...registerTriggerCommands(definedTasks),
  );
  refreshContext();
  return { client, runs, launcher, tasksTree, tasksView, runsTree, secrets };
}

export async function deactivate(): Promise<void> {
  // Stopping the client sends `shutdown`: the server cancels active runs and cleans up first.
  await client?.stop(60_000);
  client = undefined;
}
