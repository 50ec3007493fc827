/**
 * A task definition as `runTask` options, the way `az acr task run` runs it: the task file (or, for a
 * Dockerfile task, a quick-build task of a build and a push step) read from the context, the values
 * file relative to the context (§6.3), `--set` values, the task's timeout and registry, and the run
 * variables `TaskName`, `TriggeredBy` and — for commit triggers — `Commit`/`Branch`.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

import { quickBuildTask } from '../../lsp/quickBuild';
import type { RunOrigin } from '../../protocol';
import type { TaskDefinition } from '../../task/definitions/model';
import { describeTriggerCause, triggerName, type TriggerCause } from '../../task/triggers/triggerCause';
import type { RunTaskOptions } from '../run/runTask';

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

/** The options the launcher decides; the caller adds runtime, store, signal, events and credentials. */
export type PreparedTaskRun = Pick<
  RunTaskOptions,
  | 'taskFile'
  | 'taskText'
  | 'contextDir'
  | 'values'
  | 'set'
  | 'registry'
  | 'timeoutSeconds'
  | 'trigger'
  | 'runVariables'
  | 'origin'
  | 'readAliasSource'
> & { warnings: string[] };

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
    parsed = parseYaml(text, { version: '1.1' });
  } catch (error) {
    throw new TaskLaunchError(`${path}: invalid values file: ${(error as Error).message.split('\n', 1)[0] ?? ''}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new TaskLaunchError(`${path}: a values file must be a YAML mapping`);
  return parsed as Record<string, unknown>;
}

export async function prepareTaskRun(input: TaskLaunchInput): Promise<PreparedTaskRun> {
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
  const common = {
    contextDir,
    set: [...definition.set, ...(input.extraSet ?? [])],
    timeoutSeconds: definition.timeoutSeconds,
    trigger,
    runVariables,
    origin,
    ...(definition.registry ? { registry: definition.registry } : {}),
  };
  if (definition.kind === 'dockerfile') {
    let build;
    try {
      build = quickBuildTask(
        { context: contextDir, dockerfile: file, tags: definition.images },
        definition.registry ?? '',
      );
    } catch (error) {
      throw new TaskLaunchError(`task ${definition.name}: ${(error as Error).message}`);
    }
    await readText(file, 'Dockerfile');
    return { ...common, taskFile: file, taskText: build.text, warnings: build.warnings };
  }
  const taskText = await readText(file, 'task file');
  const values = definition.values === undefined ? undefined : await readValues(resolve(contextDir, definition.values));
  const taskDir = dirname(file);
  return {
    ...common,
    taskFile: file,
    taskText,
    ...(values ? { values } : {}),
    warnings: [],
    readAliasSource: (src: string) => {
      if (/^[a-z]+:\/\//i.test(src)) return { error: `remote alias sources are not fetched by local runs: ${src}` };
      try {
        return { text: readFileSync(resolve(taskDir, src), 'utf8') };
      } catch (error) {
        return { error: `cannot read alias source ${src}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
      }
    },
  };
}
