/**
 * Read-only run logs (`acr-run-log:/<run id>.log`): the masked `log.txt` the server's run store keeps.
 * An open log of an active run is re-read as the run moves on.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { READ_RUN_LOG_REQUEST, type ReadRunLogResult } from '../../../server/src/protocol';
import type { RunManager } from '../runs/RunManager';

export const RUN_LOG_SCHEME = 'acr-run-log';

export class RunLogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly client: BaseLanguageClient,
    runs: RunManager,
  ) {
    this.disposables.push(
      runs.onDidChangeRun((run) => {
        const uri = this.uriFor(run.runId);
        if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString()))
          this.changed.fire(uri);
      }),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  uriFor(runId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: RUN_LOG_SCHEME, path: `/${runId}.log` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const runId = uri.path.replace(/^\//, '').replace(/\.log$/, '');
    const result = await this.client.sendRequest<ReadRunLogResult | null>(READ_RUN_LOG_REQUEST, { runId });
    return result?.text ?? `No log is recorded for run ${runId}.\n`;
  }
}
