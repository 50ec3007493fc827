/**
 * The rendered task (`acr-rendered:` documents): what a run would execute after values, run variables
 * and aliases, as the server renders it. It follows the source as you type; problems found while
 * rendering are listed as comments at the top. The run variables are those of the file's latest run in
 * this session, so the preview shows what that run executed; before any run only `$Registry` (from the
 * settings) is set and the rest are empty, as with `acb render` without flags.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  RENDER_PREVIEW_REQUEST,
  type RenderPreviewParams,
  type RenderPreviewResult,
} from '../../../server/src/protocol';
import type { RunManager } from '../runs/RunManager';
import { readSettings } from '../settings';

export const RENDERED_SCHEME = 'acr-rendered';
const UPDATE_DELAY_MS = 300;

export class RenderedTaskDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly client: BaseLanguageClient,
    private readonly runs: RunManager,
  ) {
    const sourceChanged = (source: vscode.Uri) => {
      const rendered = this.uriFor(source);
      if (!vscode.workspace.textDocuments.some((document) => document.uri.toString() === rendered.toString())) return;
      const key = rendered.toString();
      clearTimeout(this.timers.get(key));
      this.timers.set(
        key,
        setTimeout(() => this.changed.fire(rendered), UPDATE_DELAY_MS),
      );
    };
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => sourceChanged(event.document.uri)),
      runs.onDidChangeRun((run) => {
        if (run.runVariables) sourceChanged(vscode.Uri.file(run.taskFile));
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration('acrTasks')) return;
        for (const document of vscode.workspace.textDocuments)
          if (document.uri.scheme === RENDERED_SCHEME) this.changed.fire(document.uri);
      }),
    );
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  uriFor(source: vscode.Uri): vscode.Uri {
    return vscode.Uri.from({
      scheme: RENDERED_SCHEME,
      path: `/${path.basename(source.fsPath)} (rendered)`,
      query: source.toString(),
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = uri.query;
    const sourceUri = vscode.Uri.parse(source);
    const latest = this.runs.latestFor(sourceUri.fsPath);
    const registry = readSettings(sourceUri).registry;
    const run = latest?.runVariables ?? (registry ? { Registry: registry } : {});
    const params: { textDocument: { uri: string } } & RenderPreviewParams = {
      textDocument: { uri: source },
      uri: source,
      run,
    };
    const result = await this.client.sendRequest<RenderPreviewResult | null>(RENDER_PREVIEW_REQUEST, params);
    if (!result) return `# ${sourceUri.fsPath} could not be read.\n`;
    const header = latest?.runVariables
      ? `# Rendered with the run variables of run ${latest.runId}.`
      : '# Rendered without a run: run variables other than $Registry are empty (like `acb render` without flags).';
    const problems = result.problems.map(
      (problem) => `# ${problem.severity} line ${problem.line + 1}: ${problem.message} [${problem.code}]`,
    );
    return [header, ...problems, '', result.rendered].join('\n');
  }
}
