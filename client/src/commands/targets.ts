/**
 * What a command was invoked on. Menus pass different things (an explorer Uri, a tree node, a CodeLens
 * argument list, a run id from a notification); these helpers read them and fall back to the active
 * editor or a quick pick.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunNode } from '../tree/RunsTreeProvider';
import type { TaskNode } from '../tree/TasksTreeProvider';
import { findTaskFiles, isTaskFileName } from '../taskFiles';
import type { CommandContext } from './CommandContext';

export function isTaskNode(value: unknown): value is TaskNode {
  return (
    typeof value === 'object' && value !== null && 'kind' in value && 'uri' in value && value.uri instanceof vscode.Uri
  );
}

export function isRunNode(value: unknown): value is RunNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'run';
}

/** The task file a command is about: argument, active editor, or a pick among the workspace's task files. */
export async function taskFileTarget(argument: unknown): Promise<vscode.Uri | undefined> {
  if (argument instanceof vscode.Uri) return argument;
  if (isTaskNode(argument)) return argument.uri;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && isTaskFileName(active.fsPath)) return active;
  const files = await findTaskFiles();
  if (files.length === 1) return files[0];
  if (files.length === 0) {
    void vscode.window.showInformationMessage(
      'No task files (acr-task.yaml, *.acr-task.yaml, acb.yaml) in this workspace.',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Task file' },
  );
  return picked?.uri;
}

/** A run id from a Runs view node, a Tasks view file node (its latest run), a string, or a pick. */
export async function runIdTarget(
  ctx: CommandContext,
  argument: unknown,
  pickFrom: 'active' | 'history',
): Promise<string | undefined> {
  if (typeof argument === 'string') return argument;
  if (isRunNode(argument)) return argument.entry.runId;
  if (isTaskNode(argument)) return ctx.runs.latestFor(argument.uri.fsPath)?.runId;
  const entries =
    pickFrom === 'active'
      ? ctx.runs.active().map((run) => ({ runId: run.runId, taskFile: run.taskFile, status: run.status }))
      : await ctx.runsTree.entries();
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(pickFrom === 'active' ? 'No run is active.' : 'No runs recorded yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    entries.map((entry) => ({
      label: entry.runId,
      description: `${path.basename(entry.taskFile)} · ${entry.status}`,
      runId: entry.runId,
    })),
    { title: pickFrom === 'active' ? 'Active run' : 'Run' },
  );
  return picked?.runId;
}
