/** Open Run Log: the run's masked log as a read-only document (it follows the run while it is active). */
import * as vscode from 'vscode';
import { reportError, type CommandContext } from './CommandContext';
import { runIdTarget } from './targets';

export async function openRunLog(ctx: CommandContext, argument?: unknown): Promise<vscode.TextEditor | undefined> {
  try {
    const runId = await runIdTarget(ctx, argument, 'history');
    if (!runId) return undefined;
    const document = await vscode.workspace.openTextDocument(ctx.runLogs.uriFor(runId));
    return await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(document, 'log'), {
      preview: true,
    });
  } catch (error) {
    reportError('Open Run Log', error);
    return undefined;
  }
}
