/** Delete Run: removes a finished run's record and log from the history. */
import { reportError, type CommandContext } from './CommandContext';
import { runIdTarget } from './targets';
import { DELETE_RUN_REQUEST } from '../../../server/src/protocol';

export async function deleteRun(ctx: CommandContext, argument?: unknown): Promise<boolean> {
  try {
    const runId = await runIdTarget(ctx, argument, 'history');
    if (!runId) return false;
    await ctx.client.sendRequest(DELETE_RUN_REQUEST, { runId });
    ctx.runsTree.refresh();
    return true;
  } catch (error) {
    reportError('Delete Run', error);
    return false;
  }
}
