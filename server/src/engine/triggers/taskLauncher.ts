/**
 * Runs a task definition the way `az acr task run` runs it: a task file read from the context, with
 * the values file relative to the context (§6.3), `--set` values, the task's timeout and registry; or,
 * for a Dockerfile task, a quick build (`acb build`, §9.1) of the Dockerfile with the task's image
 * names. Every run carries `TaskName`, `TriggeredBy` and — for commit triggers — `Commit`/`Branch`,
 * and its origin (task, definitions file, why it ran) is recorded with it.
 */
import { parseSafely } from '../../task/yamlSafety';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

import type { RunOrigin } from '../../protocol';
import type { TaskDefinition } from '../../task/definitions/model';
import { describeTriggerCause, triggerName, type TriggerCause } from '../../task/triggers/triggerCause';
import { QuickBuildError, runQuickBuild } from '../quickBuild/runQuickBuild';
import { runTask, type RunResult, type RunTaskOptions } from '../run/runTask';

/** A task that cannot be started (missing file, bad values file, …); the message is for people. */
export class TaskLaunchError extends Error {
  override name = 'TaskLaunchError';
}

export interface TaskLaunchInput {
  definition: TaskDefinition;
  /** Absolute path of the definitions file; contexts are relative to its folder. */
  definitionsFile: string;
  cause: TriggerCause;
  /** `task run --set` values, after the definition's own (later ones win). */
  extraSet?: readonly string[];
  /** A folder that replaces the context (a commit trigger's export of the pushed commit). */
  contextOverride?: string;
}

/** What the caller provides: the engine, the history, cancellation, events and credentials. */
export type TaskRunContext = Pick<RunTaskOptions, 'runtime' | 'store' | 'signal' | 'onEvent' | 'resolveRegistryAuth'>;

/** The context folder of a definition (absolute). */
export function contextOf(definition: TaskDefinition, definitionsFile: string): string {
  return resolve(dirname(definitionsFile), definition.context);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new TaskLaunchError(
      `cannot read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

async function readValues(path: string): Promise<Record<string, unknown>> {
  const text = await readText(path, 'values file');
  let parsed: unknown;
  try {
    parsed = parseSafely(text, { version: '1.1' });
  } catch (error) {
    throw new TaskLaunchError(`${path}: invalid values file: ${(error as Error).message.split('\n', 1)[0] ?? ''}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new TaskLaunchError(`${path}: a values file must be a YAML mapping`);
  return parsed as Record<string, unknown>;
}

function aliasReader(taskDir: string) {
  return (src: string): { text: string } | { error: string } => {
    if (/^[a-z]+:\/\//i.test(src)) return { error: `remote alias sources are not fetched by local runs: ${src}` };
    try {
      return { text: readFileSync(resolve(taskDir, src), 'utf8') };
    } catch (error) {
      return { error: `cannot read alias source ${src}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
  };
}

/** Where the run's files are, and what every run of the definition shares. */
function common(input: TaskLaunchInput) {
  const { definition, cause } = input;
  const contextDir = input.contextOverride ?? contextOf(definition, input.definitionsFile);
  const file = resolve(contextDir, definition.file);
  const inside = relative(contextDir, file);
  if (inside.startsWith('..') || isAbsolute(inside))
    throw new TaskLaunchError(`task ${definition.name}: ${definition.file} is outside the context ${contextDir}`);
  const origin: RunOrigin = {
    task: definition.name,
    definitionsFile: input.definitionsFile,
    cause,
    reason: describeTriggerCause(cause),
  };
  const trigger = triggerName(cause);
  const runVariables: NonNullable<RunTaskOptions['runVariables']> = { TaskName: definition.name, TriggeredBy: trigger };
  if (cause.kind === 'commit') Object.assign(runVariables, { Commit: cause.commit, Branch: cause.branch });
  return { contextDir, file, origin, trigger, runVariables };
}

/** Runs the definition once; throws {@link TaskLaunchError} when it cannot start (nothing ran then). */
export async function runDefinedTask(input: TaskLaunchInput, context: TaskRunContext): Promise<RunResult> {
  const { definition } = input;
  const { contextDir, file, origin, trigger, runVariables } = common(input);
  const shared = {
    ...context,
    timeoutSeconds: definition.timeoutSeconds,
    trigger,
    runVariables,
    origin,
    ...(definition.registry ? { registry: definition.registry } : {}),
  };
  if (definition.kind === 'dockerfile') {
    try {
      return await runQuickBuild({
        ...shared,
        context: contextDir,
        dockerfile: file,
        cwd: contextDir,
        env: process.env,
        tags: definition.images,
      });
    } catch (error) {
      if (error instanceof QuickBuildError) throw new TaskLaunchError(`task ${definition.name}: ${error.message}`);
      throw error;
    }
  }
  const taskText = await readText(file, 'task file');
  const values = definition.values === undefined ? undefined : await readValues(resolve(contextDir, definition.values));
  return runTask({
    ...shared,
    taskFile: file,
    taskText,
    contextDir,
    set: [...definition.set, ...(input.extraSet ?? [])],
    readAliasSource: aliasReader(dirname(file)),
    ...(values ? { values } : {}),
  });
}
