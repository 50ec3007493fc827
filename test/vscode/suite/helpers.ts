/** Shared helpers of the in-host suite: the extension's API, workspace files, and awaiting events. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AcrTasksApi } from '../../../client/src/extension';
import type { RunState } from '../../../client/src/runs/runModel';

export const EXTENSION_ID = 'acr-tasks-local.acr-tasks-local';

export async function extensionApi(): Promise<AcrTasksApi> {
  const extension = vscode.extensions.getExtension<AcrTasksApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  return extension.activate();
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

/** Resolves with the run's state once its `runFinished` event arrived. */
export function runFinished(api: AcrTasksApi, runId: string): Promise<RunState> {
  const known = api.runs.get(runId);
  if (known?.finished) return Promise.resolve(known);
  return new Promise((resolve) => {
    const listener = api.runs.onDidChangeRun((run) => {
      if (run.runId === runId && run.finished) {
        listener.dispose();
        resolve(run);
      }
    });
  });
}

/** Resolves with a document's diagnostics of our source once `accept` says they are the expected ones. */
export function diagnosticsOf(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  const current = () => vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'acr-task');
  if (accept(current())) return Promise.resolve(current());
  return new Promise((resolve) => {
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === uri.toString())) return;
      if (!accept(current())) return;
      listener.dispose();
      resolve(current());
    });
  });
}

/** Plain-data view of a step in the Tasks view: what the tree shows for it. */
export async function treeSteps(
  api: AcrTasksApi,
  uri: vscode.Uri,
): Promise<{ id: string; status: string; contextValue: string }[]> {
  const files = await api.tasksTree.getChildren();
  const file = files.find((node) => node.uri.toString() === uri.toString());
  if (!file) throw new Error(`${uri.fsPath} is not in the Tasks view`);
  const steps = await api.tasksTree.getChildren(file);
  return steps.map((node) => {
    const item = api.tasksTree.getTreeItem(node);
    const id = node.kind === 'step' ? node.step.id : node.uri.fsPath;
    return { id, status: api.tasksTree.stepView(uri, id).status, contextValue: String(item.contextValue) };
  });
}

/** Resolves with the exit code the task system reports for the next run of `taskFile`'s task. */
export function taskExitCode(taskFile: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const listener = vscode.tasks.onDidEndTaskProcess((event) => {
      const definition = event.execution.task.definition as { type: string; file?: string };
      if (definition.type !== 'acr-task' || definition.file !== taskFile) return;
      listener.dispose();
      resolve(event.exitCode);
    });
  });
}
