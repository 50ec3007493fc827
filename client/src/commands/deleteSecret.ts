/** Forget Secret: removes a stored task secret from VS Code's secret storage. */
import * as vscode from 'vscode';
import { reportError, type CommandContext } from './CommandContext';

export async function deleteSecret(ctx: CommandContext, id?: unknown): Promise<boolean> {
  try {
    const ids = ctx.secrets.ids();
    const secretId =
      typeof id === 'string' ? id : await vscode.window.showQuickPick(ids, { title: 'Secret to forget' });
    if (!secretId) return false;
    await ctx.secrets.delete(secretId);
    return true;
  } catch (error) {
    reportError('Forget Secret', error);
    return false;
  }
}
