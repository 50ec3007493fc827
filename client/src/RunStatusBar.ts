/**
 * A status-bar item while runs are active (count and elapsed time), and a progress notification while a
 * run is preparing (copying its context into the engine), which can cancel the run.
 */
import * as vscode from 'vscode';
import type { RunManager } from './runs/RunManager';
import { formatDuration, type RunState } from './runs/runModel';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('acrTasks.runs', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private readonly preparing = new Set<string>();
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly runs: RunManager) {
    this.item.name = 'ACR Tasks runs';
    this.item.command = 'acrTasks.runs.focus';
    this.disposables.push(runs.onDidChangeRun((run) => this.onRunChanged(run)));
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private onRunChanged(run: RunState): void {
    if (run.status === 'running' && !run.setupDone && !this.preparing.has(run.runId)) this.showPreparing(run);
    this.update();
    const active = this.runs.active().length > 0;
    if (active && !this.ticker) this.ticker = setInterval(() => this.update(), 1000);
    if (!active && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private update(): void {
    const active = this.runs.active();
    if (active.length === 0) {
      this.item.hide();
      return;
    }
    const oldest = Math.min(...active.map((run) => run.startedAt));
    const [only] = active;
    const label = active.length === 1 && only ? `run ${only.runId}` : `${active.length} runs`;
    this.item.text = `$(sync~spin) ACR: ${label} ${formatDuration(Date.now() - oldest)}`;
    this.item.tooltip = active.map((run) => `${run.runId}: ${run.taskFile}`).join('\n');
    this.item.show();
  }

  private showPreparing(run: RunState): void {
    this.preparing.add(run.runId);
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Run ${run.runId}: copying the context into the engine…`,
        cancellable: true,
      },
      (_progress, token) =>
        new Promise<void>((resolve) => {
          const done = () => {
            listener.dispose();
            cancel.dispose();
            this.preparing.delete(run.runId);
            resolve();
          };
          const listener = this.runs.onDidChangeRun((changed) => {
            if (changed.runId === run.runId && (changed.setupDone || changed.status !== 'running')) done();
          });
          const cancel = token.onCancellationRequested(() => {
            void this.runs.cancel(run.runId).catch(() => undefined);
            done();
          });
          // The run may have moved on before VS Code called us: no further change would come.
          const now = this.runs.get(run.runId);
          if (!now || now.setupDone || now.status !== 'running') done();
        }),
    );
  }
}
