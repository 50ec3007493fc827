/**
 * The client side of runs: starts them through the server (protocol.ts), turns the server's run event
 * notifications into per-run state, and fans the events out to whoever shows them (terminal, trees,
 * status bar). Events can arrive before the start request's answer, so events of a run nobody listens
 * to yet are kept and replayed to its first listener.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  AWAIT_RUN_REQUEST,
  BUILD_CONTEXT_REQUEST,
  CANCEL_RUN_REQUEST,
  RUN_EVENT_NOTIFICATION,
  RUNS_CHANGED_NOTIFICATION,
  START_RUN_REQUEST,
  type BuildContextParams,
  type CancelRunResult,
  type RunEvent,
  type RunFinishedEvent,
  type StartRunParams,
  type StartRunResult,
} from '../../../server/src/protocol';
import { applyRunEvent, newRunState, type RunState } from './runModel';

export type RunEventListener = (event: RunEvent) => void;

/** Finished runs whose state stays in memory (for the tree's icons and Re-run); older ones are dropped. */
const FINISHED_RUNS_KEPT = 50;

export class RunManager implements vscode.Disposable {
  private readonly runs = new Map<string, RunState>();
  private readonly pending = new Map<string, RunEvent[]>();
  private readonly listeners = new Map<string, Set<RunEventListener>>();
  private readonly changed = new vscode.EventEmitter<RunState>();
  private readonly historyChanged = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.historyChanged];

  /** A run's state changed (started, a step moved, finished). */
  readonly onDidChangeRun = this.changed.event;
  /** The recorded history changed on the server. */
  readonly onDidChangeHistory = this.historyChanged.event;

  constructor(private readonly client: BaseLanguageClient) {
    this.disposables.push(
      client.onNotification(RUN_EVENT_NOTIFICATION, (event: RunEvent) => this.receive(event)),
      client.onNotification(RUNS_CHANGED_NOTIFICATION, () => this.historyChanged.fire()),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Starts a task run; resolves with its id. */
  async startTask(params: StartRunParams): Promise<string> {
    const { runId } = await this.client.sendRequest<StartRunResult>(START_RUN_REQUEST, params);
    this.track(runId, params.taskFile);
    return runId;
  }

  /** Starts a quick build (Build Context); resolves with its run id. */
  async startBuild(params: BuildContextParams): Promise<string> {
    const { runId } = await this.client.sendRequest<StartRunResult>(BUILD_CONTEXT_REQUEST, params);
    this.track(runId, params.dockerfile ?? `${params.context}/Dockerfile`);
    return runId;
  }

  /** Resolves when the run ends; cancelling the token cancels the run (LSP cancellation). */
  awaitRun(runId: string, token: vscode.CancellationToken): Promise<RunFinishedEvent> {
    return this.client.sendRequest<RunFinishedEvent>(AWAIT_RUN_REQUEST, { runId }, token);
  }

  async cancel(runId: string): Promise<boolean> {
    const result = await this.client.sendRequest<CancelRunResult>(CANCEL_RUN_REQUEST, { runId });
    return result.cancelled;
  }

  /** Listens to one run's events; events that came before are replayed first. */
  subscribe(runId: string, listener: RunEventListener): vscode.Disposable {
    let set = this.listeners.get(runId);
    if (!set) this.listeners.set(runId, (set = new Set()));
    set.add(listener);
    const buffered = this.pending.get(runId) ?? [];
    this.pending.delete(runId);
    for (const event of buffered) listener(event);
    return new vscode.Disposable(() => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(runId);
    });
  }

  get(runId: string): RunState | undefined {
    return this.runs.get(runId);
  }

  active(): RunState[] {
    return [...this.runs.values()].filter((run) => run.status === 'running');
  }

  all(): RunState[] {
    return [...this.runs.values()];
  }

  /** The newest run of a task file this session (drives the Tasks view's step icons). */
  latestFor(taskFile: string): RunState | undefined {
    let latest: RunState | undefined;
    for (const run of this.runs.values()) {
      if (run.taskFile === taskFile && (!latest || run.startedAt >= latest.startedAt)) latest = run;
    }
    return latest;
  }

  private track(runId: string, taskFile: string): void {
    if (!this.runs.has(runId)) {
      this.runs.set(runId, newRunState(runId, taskFile));
      this.changed.fire(this.runs.get(runId)!);
    }
  }

  private receive(event: RunEvent): void {
    let run = this.runs.get(event.runId);
    if (!run) {
      run = newRunState(event.runId, event.type === 'runStarted' ? event.taskFile : '');
      this.runs.set(event.runId, run);
    }
    applyRunEvent(run, event);
    const listeners = this.listeners.get(event.runId);
    if (listeners && listeners.size > 0) {
      for (const listener of [...listeners]) listener(event);
    } else {
      const buffered = this.pending.get(event.runId) ?? [];
      buffered.push(event);
      this.pending.set(event.runId, buffered);
    }
    if (event.type !== 'stepOutput' && event.type !== 'runMessage') this.changed.fire(run);
    if (event.type === 'runFinished') this.forgetOldRuns();
  }

  private forgetOldRuns(): void {
    const finished = [...this.runs.values()].filter((run) => run.status !== 'running');
    finished.sort((a, b) => a.startedAt - b.startedAt);
    for (const run of finished.slice(0, Math.max(0, finished.length - FINISHED_RUNS_KEPT))) {
      this.runs.delete(run.runId);
      this.pending.delete(run.runId);
    }
  }
}
