/** Run Step: one step alone (CodeLens above the step, Tasks view). */
import * as vscode from 'vscode';
import { ensureTrusted, reportError, type CommandContext } from './CommandContext';
import { stepTarget } from './stepTarget';

export async function runStep(ctx: CommandContext, argument?: unknown, stepId?: unknown): Promise<string | undefined> {
  if (!ensureTrusted('Run Step')) return undefined;
  const target = stepTarget(argument, stepId);
  if (!target) {
    void vscode.window.showInformationMessage('Run Step works on a step: use the CodeLens above it or the Tasks view.');
    return undefined;
  }
  try {
    return await ctx.launcher.runTaskFile(target.uri, { mode: 'only', stepId: target.stepId });
  } catch (error) {
    reportError('Run Step', error);
    return undefined;
  }
}
