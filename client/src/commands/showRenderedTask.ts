/** Show Rendered Task: the task as a run would execute it (values, run variables, aliases), beside the source. */
import * as vscode from 'vscode';
import { reportError, type CommandContext } from './CommandContext';
import { taskFileTarget } from './targets';

export async function showRenderedTask(
  ctx: CommandContext,
  argument?: unknown,
): Promise<vscode.TextEditor | undefined> {
  try {
    const file = await taskFileTarget(argument);
    if (!file) return undefined;
    const document = await vscode.workspace.openTextDocument(ctx.renderedTasks.uriFor(file));
    return await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(document, 'yaml'), {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
      preview: true,
    });
  } catch (error) {
    reportError('Show Rendered Task', error);
    return undefined;
  }
}
