/**
 * The Tasks view: task files of the workspace → their steps (from the server's outline), each step with
 * the live status and duration of the file's latest run this session. Item `contextValue`s are state +
 * kind (`runningTaskFile`, `idleTaskFile`, `succeededStep`, `queuedStep`, `idleStep`, …).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { TASK_OUTLINE_REQUEST, type OutlineStep, type TaskOutline } from '../../../server/src/protocol';
import type { RunManager } from '../runs/RunManager';
import { formatDuration, type LiveStepStatus } from '../runs/runModel';
import { findTaskFiles, isTaskFileName } from '../taskFiles';
import { statusIcon } from './statusIcons';

export interface TaskFileNode {
  kind: 'taskFile';
  uri: vscode.Uri;
}

export interface StepNode {
  kind: 'step';
  uri: vscode.Uri;
  step: OutlineStep;
}

export type TaskNode = TaskFileNode | StepNode;

/** What a step shows: its live status, when the latest run has it. */
export interface StepView {
  status: LiveStepStatus | 'idle';
  durationMs?: number;
}

export class TasksTreeProvider implements vscode.TreeDataProvider<TaskNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TaskNode | undefined>();
  private readonly outlines = new Map<string, Promise<TaskOutline>>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private ticker: NodeJS.Timeout | undefined;

  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly client: BaseLanguageClient,
    private readonly runs: RunManager,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}');
    const fileChanged = (uri: vscode.Uri) => {
      if (isTaskFileName(uri.fsPath)) this.invalidate(uri);
    };
    this.disposables.push(
      watcher,
      watcher.onDidCreate(fileChanged),
      watcher.onDidDelete(fileChanged),
      watcher.onDidChange(fileChanged),
      vscode.workspace.onDidChangeTextDocument((event) => fileChanged(event.document.uri)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('acrTasks.taskFileGlobs')) this.refresh();
      }),
      runs.onDidChangeRun(() => this.onRunChanged()),
    );
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const disposable of this.disposables) disposable.dispose();
  }

  refresh(): void {
    this.outlines.clear();
    this.changed.fire(undefined);
  }

  private invalidate(uri: vscode.Uri): void {
    this.outlines.delete(uri.toString());
    this.changed.fire(undefined);
  }

  /** Redraws on run changes, and every second while a run is active so running durations count up. */
  private onRunChanged(): void {
    this.changed.fire(undefined);
    const active = this.runs.active().length > 0;
    if (active && !this.ticker) this.ticker = setInterval(() => this.changed.fire(undefined), 1000);
    if (!active && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  outline(uri: vscode.Uri): Promise<TaskOutline> {
    const key = uri.toString();
    let outline = this.outlines.get(key);
    if (!outline) {
      outline = Promise.resolve(this.client.sendRequest<TaskOutline>(TASK_OUTLINE_REQUEST, { uri: key }));
      outline.catch(() => this.outlines.delete(key));
      this.outlines.set(key, outline);
    }
    return outline;
  }

  async getChildren(node?: TaskNode): Promise<TaskNode[]> {
    if (!node) return (await findTaskFiles()).map((uri) => ({ kind: 'taskFile', uri }));
    if (node.kind === 'step') return [];
    const outline = await this.outline(node.uri);
    return outline.steps.map((step) => ({ kind: 'step', uri: node.uri, step }));
  }

  /** The status a step shows now (also what the in-host tests read). */
  stepView(uri: vscode.Uri, stepId: string): StepView {
    const run = this.runs.latestFor(uri.fsPath);
    const state = run?.steps.get(stepId);
    if (!state) return { status: 'idle' };
    const view: StepView = { status: state.status };
    if (state.durationMs !== undefined) view.durationMs = state.durationMs;
    else if (state.status === 'running' && state.startedAt !== undefined)
      view.durationMs = Date.now() - state.startedAt;
    return view;
  }

  getTreeItem(node: TaskNode): vscode.TreeItem {
    if (node.kind === 'taskFile') return this.taskFileItem(node);
    const view = this.stepView(node.uri, node.step.id);
    const item = new vscode.TreeItem(node.step.id, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.uri.toString()}#${node.step.id}`;
    item.contextValue = `${view.status}Step`;
    item.iconPath = view.status === 'idle' ? new vscode.ThemeIcon(stepKindIcon(node.step)) : statusIcon(view.status);
    item.description = [view.durationMs === undefined ? undefined : formatDuration(view.durationMs), node.step.detail]
      .filter(Boolean)
      .join(' · ');
    item.tooltip = new vscode.MarkdownString(
      `**${node.step.id}** (${node.step.kind ?? 'no kind'})${view.status === 'idle' ? '' : ` — ${view.status}`}\n\n` +
        `\`${node.step.detail}\`` +
        (node.step.dependsOn.length > 0 ? `\n\nwaits for: ${node.step.dependsOn.join(', ')}` : ''),
    );
    const position = new vscode.Position(node.step.line, node.step.character);
    item.command = {
      command: 'vscode.open',
      title: 'Go to Step',
      arguments: [
        node.uri,
        { selection: new vscode.Range(position, position) } satisfies vscode.TextDocumentShowOptions,
      ],
    };
    return item;
  }

  private taskFileItem(node: TaskFileNode): vscode.TreeItem {
    const item = new vscode.TreeItem(path.basename(node.uri.fsPath), vscode.TreeItemCollapsibleState.Expanded);
    item.id = node.uri.toString();
    item.resourceUri = node.uri;
    const run = this.runs.latestFor(node.uri.fsPath);
    const state = run?.status ?? 'idle';
    item.contextValue = `${state}TaskFile`;
    item.iconPath = run ? statusIcon(run.status) : new vscode.ThemeIcon('checklist');
    const folder = vscode.workspace.asRelativePath(path.dirname(node.uri.fsPath), true);
    item.description = run ? `${folder} · ${run.runId} ${run.status}` : folder;
    item.command = { command: 'vscode.open', title: 'Open Task File', arguments: [node.uri] };
    return item;
  }
}

function stepKindIcon(step: OutlineStep): string {
  if (step.kind === 'build') return 'package';
  if (step.kind === 'push') return 'cloud-upload';
  if (step.kind === 'cmd') return 'terminal';
  return 'question';
}
