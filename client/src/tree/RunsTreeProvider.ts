/**
 * The Runs view: the run history recorded by the server's run store, newest first, with status, trigger,
 * duration and start time. Active runs show their live status from this session's run events. Item
 * `contextValue`s are status + `Run` (`runningRun`, `succeededRun`, `failedRun`, …).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { LIST_RUNS_REQUEST, type ListRunsResult, type RunHistoryEntry } from '../../../server/src/protocol';
import type { RunManager } from '../runs/RunManager';
import { formatDuration } from '../runs/runModel';
import { statusIcon } from './statusIcons';

export interface RunNode {
  kind: 'run';
  entry: RunHistoryEntry;
}

/** Coalesces bursts of run events into one history request. */
const REFRESH_DELAY_MS = 200;

export class RunsTreeProvider implements vscode.TreeDataProvider<RunNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunNode | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private history: Promise<RunHistoryEntry[]> | undefined;
  private pendingRefresh: NodeJS.Timeout | undefined;

  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly client: BaseLanguageClient,
    private readonly runs: RunManager,
  ) {
    this.disposables.push(
      runs.onDidChangeHistory(() => this.scheduleRefresh()),
      runs.onDidChangeRun(() => this.scheduleRefresh()),
    );
  }

  dispose(): void {
    if (this.pendingRefresh) clearTimeout(this.pendingRefresh);
    for (const disposable of this.disposables) disposable.dispose();
  }

  refresh(): void {
    this.history = undefined;
    this.changed.fire(undefined);
  }

  private scheduleRefresh(): void {
    if (this.pendingRefresh) return;
    this.pendingRefresh = setTimeout(() => {
      this.pendingRefresh = undefined;
      this.refresh();
    }, REFRESH_DELAY_MS);
  }

  /** The history with this session's live state applied (also what the in-host tests read). */
  async entries(): Promise<RunHistoryEntry[]> {
    this.history ??= Promise.resolve(this.client.sendRequest<ListRunsResult>(LIST_RUNS_REQUEST)).then(
      (result) => result.runs,
    );
    let entries: RunHistoryEntry[];
    try {
      entries = await this.history;
    } catch (error) {
      this.history = undefined;
      throw error;
    }
    return entries.map((entry) => {
      const live = this.runs.get(entry.runId);
      if (!live || live.status === entry.status) return entry;
      // The record on disk lags behind the events; show what the events say.
      return { ...entry, status: live.status, ...(live.finished ? { durationMs: live.finished.durationMs } : {}) };
    });
  }

  async getChildren(node?: RunNode): Promise<RunNode[]> {
    if (node) return [];
    return (await this.entries()).map((entry) => ({ kind: 'run', entry }));
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    const { entry } = node;
    const item = new vscode.TreeItem(`${entry.runId}  ${path.basename(entry.taskFile)}`);
    item.id = `run:${entry.runId}`;
    item.contextValue = `${entry.status}Run`;
    item.iconPath = statusIcon(entry.status);
    const started = new Date(entry.startedAt);
    const duration =
      entry.durationMs !== undefined
        ? formatDuration(entry.durationMs)
        : entry.status === 'running'
          ? `${formatDuration(Date.now() - started.getTime())}…`
          : undefined;
    item.description = [entry.status, entry.trigger, duration, started.toLocaleString()].filter(Boolean).join(' · ');
    const steps = entry.steps
      .map(
        (step) =>
          `- ${step.id}: ${step.status}${step.durationMs === undefined ? '' : ` (${formatDuration(step.durationMs)})`}`,
      )
      .join('\n');
    item.tooltip = new vscode.MarkdownString(
      `**Run ${entry.runId}** — ${entry.status}${entry.archived ? ' (kept)' : ''}\n\n` +
        `${entry.taskFile}\n\ntrigger: ${entry.trigger} · started ${started.toLocaleString()}` +
        (duration ? ` · ${duration}` : '') +
        (entry.error ? `\n\n${entry.error}` : '') +
        (steps ? `\n\n${steps}` : ''),
    );
    item.command = { command: 'acrTasks.openRunLog', title: 'Open Run Log', arguments: [node] };
    return item;
  }
}
