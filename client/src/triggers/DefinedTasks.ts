/**
 * The client side of task definitions: the trigger state the server's watchers report (for the Tasks
 * view), running a defined task, and a notification when a triggered run fails or a trigger has a
 * problem (the watcher keeps going; the user should still know).
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  RUN_DEFINED_TASK_REQUEST,
  TRIGGER_STATE_CHANGED_NOTIFICATION,
  TRIGGER_STATE_REQUEST,
  WATCHER_EVENT_NOTIFICATION,
  WORKSPACE_TRUST_NOTIFICATION,
  type RunDefinedTaskParams,
  type StartRunResult,
  type TriggerStateResult,
  type WatcherEvent,
} from '../../../server/src/protocol';

export class DefinedTasks implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private cached: Promise<TriggerStateResult> | undefined;

  /** The trigger state changed (a run started or ended, a check ran, the definitions file changed). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: BaseLanguageClient) {
    this.disposables.push(
      client.onNotification(TRIGGER_STATE_CHANGED_NOTIFICATION, () => this.invalidate()),
      client.onNotification(WATCHER_EVENT_NOTIFICATION, (event: WatcherEvent) => this.notify(event)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('acrTasks.triggers')) this.invalidate();
      }),
      // Triggers start containers without a user action: the server watches only trusted workspaces.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.sendTrust()),
    );
    this.sendTrust();
  }

  private sendTrust(): void {
    void this.client.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: vscode.workspace.isTrusted });
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  invalidate(): void {
    this.cached = undefined;
    this.changed.fire();
  }

  /** Defined tasks of every workspace folder, with the state of their triggers. */
  state(): Promise<TriggerStateResult> {
    this.cached ??= Promise.resolve(this.client.sendRequest<TriggerStateResult>(TRIGGER_STATE_REQUEST, {}));
    this.cached.catch(() => (this.cached = undefined));
    return this.cached;
  }

  /** Runs a defined task now (`task run`); its events arrive as run events, like any run. */
  async run(params: RunDefinedTaskParams): Promise<string> {
    const { runId } = await this.client.sendRequest<StartRunResult>(RUN_DEFINED_TASK_REQUEST, params);
    this.invalidate();
    return runId;
  }

  private notify(event: WatcherEvent): void {
    if (event.type === 'runFinished' && (event.status === 'failed' || event.status === 'timedOut')) {
      void vscode.window
        .showErrorMessage(
          `Task ${event.task} (${event.trigger} trigger) ${event.status === 'failed' ? 'failed' : 'timed out'}: ${event.error ?? ''} — ${event.reason}`,
          'Open Log',
        )
        .then((choice) => {
          if (choice === 'Open Log') void vscode.commands.executeCommand('acrTasks.openRunLog', event.runId);
        });
    } else if (event.type === 'runNotStarted') {
      void vscode.window.showErrorMessage(
        `Task ${event.task} (${event.trigger} trigger) could not start: ${event.error}`,
      );
    } else if (event.type === 'problem') {
      void vscode.window.showWarningMessage(`ACR task triggers: ${event.message} (still watching)`);
    } else if (event.type === 'definitionsProblems') {
      void vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(event.definitionsFile)} has errors; those tasks are not triggered: ${event.problems[0] ?? ''}`,
      );
    }
  }
}
