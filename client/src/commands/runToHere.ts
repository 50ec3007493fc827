/** Run to Here: a step and every step it waits for (CodeLens above the step, Tasks view). */
import * as vscode from 'vscode';
import { ensureTrusted, reportError, type CommandContext } from './CommandContext';
import { stepTarget } from './stepTarget';

export async function runToHere(
  ctx: CommandContext,
  argument?: unknown,
  stepId?: unknown,
): Promise<string | undefined> {
  if (!ensureTrusted('Run to Here')) return undefined;
  const target = stepTarget(argument, stepId);
  if (!target) {
    void vscode.window.showInformationMessage(
      'Run to Here works on a step: use the CodeLens above it or the Tasks view.',
    );
    return undefined;
  }
  try {
    return await ctx.launcher.runTaskFile(target.uri, { mode: 'upTo', stepId: target.stepId });
  } catch (error) {
    reportError('Run to Here', error);
    return undefined;
  }
}
