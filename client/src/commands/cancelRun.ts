/** Cancel Run: the engine stops the run's containers and removes everything the run created. */
import * as vscode from 'vscode';
import { reportError, type CommandContext } from './CommandContext';
import { runIdTarget } from './targets';

export async function cancelRun(ctx: CommandContext, argument?: unknown): Promise<boolean> {
  try {
    const runId = await runIdTarget(ctx, argument, 'active');
    if (!runId) return false;
    const cancelled = await ctx.runs.cancel(runId);
    if (!cancelled) void vscode.window.showInformationMessage(`Run ${runId} is not active.`);
    return cancelled;
  } catch (error) {
    reportError('Cancel Run', error);
    return false;
  }
}
