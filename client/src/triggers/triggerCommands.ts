/**
 * Commands of task definitions: Run Defined Task (like `az acr task run`) and Open Task Definitions.
 * Registered by the extension next to the other commands.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TASK_DEFINITIONS_FILE_NAME as DEFINITIONS_FILE_NAME } from '../../../server/src/protocol';
import type { DefinedTasks } from './DefinedTasks';
import type { DefinedTaskNode } from './TasksWithTriggersTreeProvider';

function isDefinedTaskNode(value: unknown): value is DefinedTaskNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'definedTask';
}

async function pickDefinedTask(defined: DefinedTasks): Promise<{ definitionsFile: string; task: string } | undefined> {
  const state = await defined.state();
  const picks = state.files.flatMap((file) =>
    file.tasks.map((task) => ({
      label: task.task,
      description: vscode.workspace.asRelativePath(file.definitionsFile),
      definitionsFile: file.definitionsFile,
    })),
  );
  if (picks.length === 0) {
    void vscode.window.showInformationMessage(
      `No defined tasks: create them with \`acr-tasks task create\`, which writes ${DEFINITIONS_FILE_NAME}.`,
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(picks, { title: 'Run Defined Task' });
  return picked ? { definitionsFile: picked.definitionsFile, task: picked.label } : undefined;
}

export async function runDefinedTask(defined: DefinedTasks, argument?: unknown): Promise<string | undefined> {
  const target = isDefinedTaskNode(argument)
    ? { definitionsFile: argument.state.definitionsFile, task: argument.state.task }
    : await pickDefinedTask(defined);
  if (!target) return undefined;
  try {
    const runId = await defined.run(target);
    void vscode.window
      .showInformationMessage(`Started run ${runId} of task ${target.task}.`, 'Open Log')
      .then((choice) => {
        if (choice === 'Open Log') void vscode.commands.executeCommand('acrTasks.openRunLog', runId);
      });
    return runId;
  } catch (error) {
    void vscode.window.showErrorMessage(`Run Defined Task: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

export async function openDefinitions(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return;
  const uri = vscode.Uri.file(path.join(folder.uri.fsPath, DEFINITIONS_FILE_NAME));
  try {
    await vscode.window.showTextDocument(uri);
  } catch {
    void vscode.window.showInformationMessage(
      `No ${DEFINITIONS_FILE_NAME} yet: create tasks with \`acr-tasks task create\`.`,
    );
  }
}

export function registerTriggerCommands(defined: DefinedTasks): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('acrTasks.runDefinedTask', (argument?: unknown) =>
      runDefinedTask(defined, argument),
    ),
    vscode.commands.registerCommand('acrTasks.openTaskDefinitions', () => openDefinitions()),
  ];
}
