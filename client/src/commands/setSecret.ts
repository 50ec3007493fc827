/**
 * Set Secret: stores a task secret's value in VS Code's secret storage. The ids offered are those the
 * open task file declares (`secrets[].id`) and those already stored.
 */
import * as vscode from 'vscode';
import { TASK_OUTLINE_REQUEST, type TaskOutline } from '../../../server/src/protocol';
import { isTaskFileName } from '../taskFiles';
import { reportError, type CommandContext } from './CommandContext';

async function declaredSecrets(ctx: CommandContext): Promise<string[]> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme !== 'file' || !isTaskFileName(active.fsPath)) return [];
  const outline = await ctx.client.sendRequest<TaskOutline>(TASK_OUTLINE_REQUEST, { uri: active.toString() });
  return outline.secrets;
}

export async function setSecret(ctx: CommandContext, id?: unknown, value?: unknown): Promise<boolean> {
  try {
    let secretId = typeof id === 'string' ? id : undefined;
    if (!secretId) {
      const ids = [...new Set([...(await declaredSecrets(ctx)), ...ctx.secrets.ids()])];
      const other = '$(add) Another secret id…';
      const picked =
        ids.length === 0 ? other : await vscode.window.showQuickPick([...ids, other], { title: 'Secret to set' });
      if (!picked) return false;
      secretId =
        picked === other
          ? await vscode.window.showInputBox({ title: 'Secret id', prompt: 'The `id` of the secret in the task file' })
          : picked;
      if (!secretId) return false;
    }
    const secretValue =
      typeof value === 'string'
        ? value
        : await vscode.window.showInputBox({
            title: `Value of secret "${secretId}"`,
            password: true,
            ignoreFocusOut: true,
          });
    if (secretValue === undefined) return false;
    await ctx.secrets.set(secretId, secretValue);
    void vscode.window.showInformationMessage(`Secret "${secretId}" is stored in VS Code's secret storage.`);
    return true;
  } catch (error) {
    reportError('Set Secret', error);
    return false;
  }
}
