/** What every command needs; built once in extension.ts. */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import type { RenderedTaskDocuments } from '../documents/RenderedTaskDocuments';
import type { RunLogDocuments } from '../documents/RunLogDocuments';
import type { RunLauncher } from '../runs/RunLauncher';
import type { RunManager } from '../runs/RunManager';
import type { SecretVault } from '../SecretVault';
import type { RunsTreeProvider } from '../tree/RunsTreeProvider';
import type { TasksTreeProvider } from '../tree/TasksTreeProvider';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  client: BaseLanguageClient;
  runs: RunManager;
  launcher: RunLauncher;
  tasksTree: TasksTreeProvider;
  runsTree: RunsTreeProvider;
  secrets: SecretVault;
  runLogs: RunLogDocuments;
  renderedTasks: RenderedTaskDocuments;
}

/** Runs start containers on the user's engine: never in a workspace the user has not trusted. */
export function ensureTrusted(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `${action} is disabled in Restricted Mode: runs start containers with your Docker engine. Trust the workspace to enable it.`,
      'Manage Workspace Trust',
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}

/** Shows a failed command's error; a cancelled prompt is not an error. */
export function reportError(action: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  void vscode.window.showErrorMessage(`${action} failed: ${message}`);
}
