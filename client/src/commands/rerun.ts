/** Re-run: the same task file, step selection or build as the chosen run (settings and secrets read anew). */
import { BUILD_RUN_TYPE, TASK_RUN_TYPE, type RunDefinition } from '../runs/RunLauncher';
import { ensureTrusted, reportError, type CommandContext } from './CommandContext';
import { isRunNode, runIdTarget } from './targets';

export async function rerun(ctx: CommandContext, argument?: unknown): Promise<string | undefined> {
  if (!ensureTrusted('Re-run')) return undefined;
  try {
    const runId = await runIdTarget(ctx, argument, 'history');
    if (!runId) return undefined;
    let definition: RunDefinition | undefined = ctx.launcher.definitionOf(runId);
    if (!definition) {
      // A run from another window or the CLI: repeat it from its record.
      const entry = isRunNode(argument)
        ? argument.entry
        : (await ctx.runsTree.entries()).find((run) => run.runId === runId);
      if (!entry) throw new Error(`no recorded run ${runId}`);
      definition =
        entry.trigger === 'build'
          ? { type: BUILD_RUN_TYPE, context: entry.context, dockerfile: entry.taskFile, tags: [] }
          : { type: TASK_RUN_TYPE, file: entry.taskFile, context: entry.context };
    }
    return await ctx.launcher.rerun(definition);
  } catch (error) {
    reportError('Re-run', error);
    return undefined;
  }
}
