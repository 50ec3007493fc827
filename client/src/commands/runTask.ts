/** Run Task: the whole task file (explorer, editor title, Tasks view, palette). Resolves with the run id. */
import { ensureTrusted, reportError, type CommandContext } from './CommandContext';
import { taskFileTarget } from './targets';

export async function runTask(ctx: CommandContext, argument?: unknown): Promise<string | undefined> {
  if (!ensureTrusted('Run Task')) return undefined;
  try {
    const file = await taskFileTarget(argument);
    return file ? await ctx.launcher.runTaskFile(file) : undefined;
  } catch (error) {
    reportError('Run Task', error);
    return undefined;
  }
}
