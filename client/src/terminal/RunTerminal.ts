/**
 * One pseudoterminal per run (vscode-docker's DockerPseudoterminal is the model). It starts the run when
 * VS Code opens it, streams the run's events through {@link RunTextWriter}, and closes with the run's exit
 * code, which the task system shows and reports. Ctrl+C cancels through LSP cancellation of `awaitRun`;
 * closing the terminal while the run is active cancels it through the cancel request (the terminal is
 * gone, so nothing waits for the answer). Either way the engine removes what the run created.
 */
import * as vscode from 'vscode';
import type { RunEvent } from '../../../server/src/protocol';
import type { RunManager } from '../runs/RunManager';
import { exitCodeOf } from '../runs/runModel';
import { RunTextWriter, toTerminalText } from './RunTextWriter';

const CTRL_C = '\x03';

export interface RunTerminalOptions {
  /** Starts the run; resolves with its id. Rejections are shown in the terminal (exit code 1). */
  start: () => Promise<string>;
  /** Called once the run id is known (links, status bar). */
  onRunId?: (runId: string) => void;
  /** Called with the run's final status. */
  onFinished?: (event: Extract<RunEvent, { type: 'runFinished' }>) => void;
}

export class RunTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  private readonly writer = new RunTextWriter();
  private readonly cancellation = new vscode.CancellationTokenSource();
  private subscription: vscode.Disposable | undefined;
  private runId: string | undefined;
  private finished = false;
  private closed = false;

  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;

  constructor(
    private readonly runs: RunManager,
    private readonly options: RunTerminalOptions,
  ) {}

  open(): void {
    this.write('\x1b[2mStarting the run…\x1b[0m\r\n');
    this.options.start().then(
      (runId) => this.attach(runId),
      (error: unknown) => {
        this.write(`\x1b[31m${toTerminalText(error instanceof Error ? error.message : String(error))}\x1b[0m\r\n`);
        this.finish(1);
      },
    );
  }

  handleInput(data: string): void {
    if (data === CTRL_C && this.runId && !this.finished && !this.cancellation.token.isCancellationRequested) {
      this.write('\x1b[33m^C cancelling the run and cleaning up…\x1b[0m\r\n');
      this.cancellation.cancel();
    }
  }

  close(): void {
    this.closed = true;
    if (this.runId && !this.finished) void this.runs.cancel(this.runId).catch(() => undefined);
    this.cancellation.cancel();
    this.dispose();
  }

  private attach(runId: string): void {
    this.runId = runId;
    this.options.onRunId?.(runId);
    if (this.closed) {
      // The terminal went away while the run was being started.
      void this.runs.cancel(runId).catch(() => undefined);
      return;
    }
    this.subscription = this.runs.subscribe(runId, (event) => this.onEvent(event));
    // Ctrl+C cancels this request, which the server turns into an abort of the run.
    this.runs.awaitRun(runId, this.cancellation.token).catch(() => undefined);
  }

  private onEvent(event: RunEvent): void {
    const text = this.writer.format(event);
    if (text !== '') this.write(text);
    if (event.type === 'runFinished') {
      this.options.onFinished?.(event);
      this.finish(exitCodeOf(event.status));
    }
  }

  private write(text: string): void {
    if (!this.closed) this.writeEmitter.fire(text);
  }

  private finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    this.closeEmitter.fire(code);
    this.dispose();
  }

  private dispose(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
  }
}
