/**
 * `task create|update|delete|list|run` — task definitions like `az acr task`, kept in the definitions
 * file (`.acr-tasks.yaml`) of the current folder, with az's flag names:
 *
 *   task create --name N --file F --context DIR [--image T]... [--registry R] [--values F] [--set K=V]...
 *       [--schedule "[name:]CRON"]... [--commit-trigger-enabled true|false] [--branch B]
 *       [--base-image-trigger-enabled true|false] [--base-image-trigger-type Runtime|All] [--timeout S]
 *       [--status Enabled|Disabled]
 *   task update --name N (same flags; only what is given changes; --schedule adds or replaces a timer)
 *   task delete --name N
 *   task list [--json]
 *   task run --name N [--set K=V]... [--json] [--engine HOST]
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { currentBranch } from '../engine/triggers/gitCheckout';
import { readDefinitionsFile, writeDefinitionsFile } from '../engine/triggers/definitionsFile';
import { contextOf, runDefinedTask } from '../engine/triggers/taskLauncher';
import { historyTriggerStates } from '../engine/triggers/triggerStates';
import { runsByTask } from '../engine/triggers/watcherState';
import { RunLogFormatter } from '../engine/runStore/logText';
import { splitScheduleFlag } from '../task/definitions/cron';
import {
  createTaskDefinition,
  deleteTaskDefinition,
  updateTaskDefinition,
  type TaskDefinitionInput,
} from '../task/definitions/editDefinitions';
import {
  BASE_IMAGE_TRIGGER_TYPES,
  TASK_STATUSES,
  type BaseImageTriggerType,
  type TaskStatus,
} from '../task/definitions/model';
import type { TaskTriggerState } from '../protocol';
import { type CliIo, UsageError } from './cliIo';
import {
  connectRuntime,
  errorText,
  openStore,
  parseBooleanFlag,
  parsePositiveInteger,
  registryCredentials,
  type DefinitionsCliDependencies,
} from './definitionsCli';
import { RUN_EXIT } from './runCommand';

export const TASK_USAGE = `usage: task <create|update|delete|list|run> [options]   (definitions in ./.acr-tasks.yaml)
  task create --name N --file F --context DIR [--image T]... [--registry R] [--values F] [--set K=V]...
      [--schedule "[name:]CRON"]... [--commit-trigger-enabled true|false] [--branch B]
      [--base-image-trigger-enabled true|false] [--base-image-trigger-type Runtime|All] [--timeout S]
      [--status Enabled|Disabled]
  task update --name N [same flags]        change only what is given (--schedule adds or replaces a timer)
  task delete --name N
  task list [--json]
  task run --name N [--set K=V]... [--json] [--engine HOST]
`;

const DEFINITION_FLAGS = {
  name: { type: 'string', short: 'n' },
  file: { type: 'string', short: 'f' },
  context: { type: 'string', short: 'c' },
  image: { type: 'string', short: 't', multiple: true },
  registry: { type: 'string', short: 'r' },
  values: { type: 'string' },
  set: { type: 'string', multiple: true },
  schedule: { type: 'string', multiple: true },
  'commit-trigger-enabled': { type: 'string' },
  branch: { type: 'string' },
  'base-image-trigger-enabled': { type: 'string' },
  'base-image-trigger-type': { type: 'string' },
  timeout: { type: 'string' },
  status: { type: 'string' },
} as const;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const match = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  if (match === undefined) throw new UsageError(`--${name} ${value}: expected ${allowed.join(' or ')}`);
  return match;
}

function requireName(name: string | undefined): string {
  if (name === undefined || name === '') throw new UsageError('--name is required');
  return name;
}

type DefinitionFlags = ReturnType<typeof parseDefinitionFlags>['values'];

function parseDefinitionFlags(argv: string[]) {
  return parseArgs({ args: argv, options: DEFINITION_FLAGS, allowPositionals: false });
}

function inputOf(flags: DefinitionFlags, cwd: string): TaskDefinitionInput {
  const input: TaskDefinitionInput = {};
  if (flags.file !== undefined) input.file = flags.file;
  // Contexts are kept relative to the definitions file's folder, so the folder can move.
  if (flags.context !== undefined) input.context = relative(cwd, resolve(cwd, flags.context)) || '.';
  if (flags.image !== undefined) input.images = flags.image;
  if (flags.registry !== undefined) input.registry = flags.registry;
  if (flags.values !== undefined) input.values = flags.values;
  if (flags.set !== undefined) input.set = flags.set;
  if (flags.schedule !== undefined) input.schedules = flags.schedule.map(splitScheduleFlag);
  const commit = parseBooleanFlag('commit-trigger-enabled', flags['commit-trigger-enabled']);
  if (commit !== undefined) input.commitTriggerEnabled = commit;
  if (flags.branch !== undefined) input.branch = flags.branch;
  const base = parseBooleanFlag('base-image-trigger-enabled', flags['base-image-trigger-enabled']);
  if (base !== undefined) input.baseImageTriggerEnabled = base;
  const type = oneOf<BaseImageTriggerType>(
    'base-image-trigger-type',
    flags['base-image-trigger-type'],
    BASE_IMAGE_TRIGGER_TYPES,
  );
  if (type !== undefined) input.baseImageTriggerType = type;
  const timeout = parsePositiveInteger('timeout', flags.timeout);
  if (timeout !== undefined) input.timeoutSeconds = timeout;
  const status = oneOf<TaskStatus>('status', flags.status, TASK_STATUSES);
  if (status !== undefined) input.status = status;
  return input;
}

async function editDefinitions(
  io: CliIo,
  name: string,
  edit: (text: string) => ReturnType<typeof createTaskDefinition>,
  done: string,
): Promise<number> {
  const file = await readDefinitionsFile(io.cwd);
  const result = edit(file.text);
  if (!result.ok) {
    for (const error of result.errors) io.stderr.write(`error: ${error}\n`);
    return RUN_EXIT.usage;
  }
  await writeDefinitionsFile(file.path, result.text);
  io.stdout.write(`${done} task ${name} in ${file.path}\n`);
  return 0;
}

async function create(argv: string[], io: CliIo): Promise<number> {
  const { values: flags } = parseDefinitionFlags(argv);
  const name = requireName(flags.name);
  if (flags.file === undefined) throw new UsageError('--file is required');
  if (flags.context === undefined) throw new UsageError('--context is required (a folder; `.` for this one)');
  const input = inputOf(flags, io.cwd);
  const contextDir = resolve(io.cwd, flags.context);
  // ACR tracks the branch named in the context URL; locally the one checked out now is the natural choice.
  if (input.branch === undefined && input.commitTriggerEnabled !== false) {
    const branch = await currentBranch(contextDir, io.signal).catch(() => undefined);
    if (branch !== undefined) input.branch = branch;
  }
  const code = await editDefinitions(io, name, (text) => createTaskDefinition(text, name, input), 'Created');
  if (code === 0 && !existsSync(resolve(contextDir, flags.file)))
    io.stderr.write(`warning: ${flags.file} does not exist in the context ${contextDir} (yet)\n`);
  return code;
}

async function update(argv: string[], io: CliIo): Promise<number> {
  const { values: flags } = parseDefinitionFlags(argv);
  const name = requireName(flags.name);
  const input = inputOf(flags, io.cwd);
  return editDefinitions(io, name, (text) => updateTaskDefinition(text, name, input), 'Updated');
}

async function remove(argv: string[], io: CliIo): Promise<number> {
  const { values: flags } = parseArgs({ args: argv, options: { name: { type: 'string', short: 'n' } } });
  const name = requireName(flags.name);
  return editDefinitions(io, name, (text) => deleteTaskDefinition(text, name), 'Deleted');
}

/** One line per trigger for `task list`. */
export function describeTriggers(state: TaskTriggerState): string[] {
  const lines = [
    `base image: ${state.baseImage.enabled ? `${state.baseImage.type}, ` : ''}${state.baseImage.message}`,
    `commit: ${state.commit.enabled ? `${state.commit.branch ?? '(checked-out branch)'}, ` : ''}${state.commit.message}`,
  ];
  for (const schedule of state.schedules) lines.push(`timer ${schedule.name}: ${schedule.cron} (UTC)`);
  return lines;
}

async function list(argv: string[], io: CliIo, dependencies: DefinitionsCliDependencies): Promise<number> {
  const { values: flags } = parseArgs({ args: argv, options: { json: { type: 'boolean' } } });
  const file = await readDefinitionsFile(io.cwd);
  for (const problem of file.parsed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'))
    io.stderr.write(`${file.path}: ${problem.message}\n`);
  const history = runsByTask(await openStore(io, dependencies).list(), file.path);
  const states = historyTriggerStates(file, history);
  if (flags.json) {
    for (const state of states) io.stdout.write(`${JSON.stringify(state)}\n`);
    return 0;
  }
  if (states.length === 0) io.stdout.write(`No tasks in ${file.path}. Add one with \`task create\`.\n`);
  for (const state of states) {
    const last = state.lastRun
      ? `last run ${state.lastRun.runId} ${state.lastRun.status} (${state.lastRun.trigger})`
      : 'never ran';
    io.stdout.write(`${state.task}  ${state.status}  ${relative(io.cwd, state.file) || state.file}  ${last}\n`);
    for (const line of describeTriggers(state)) io.stdout.write(`    ${line}\n`);
  }
  return 0;
}

async function run(argv: string[], io: CliIo, dependencies: DefinitionsCliDependencies): Promise<number> {
  const { values: flags } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string', short: 'n' },
      set: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      engine: { type: 'string' },
    },
  });
  const name = requireName(flags.name);
  const file = await readDefinitionsFile(io.cwd);
  const definition = file.parsed.tasks.find((task) => task.name === name);
  if (!definition) {
    const broken = file.parsed.diagnostics.some((problem) => problem.severity === 'error');
    throw new UsageError(
      `no task named ${name} in ${file.path}${broken ? ' (the file has errors: see `task list`)' : ''}`,
    );
  }
  let runtime;
  try {
    runtime = await connectRuntime(flags.engine, dependencies);
  } catch (error) {
    io.stderr.write(`error: ${errorText(error)}\n`);
    return RUN_EXIT.failed;
  }
  const store = openStore(io, dependencies);
  const formatter = new RunLogFormatter();
  const credentials = registryCredentials(io);
  let result;
  try {
    result = await runDefinedTask(
      { definition, definitionsFile: file.path, cause: { kind: 'manual' }, extraSet: flags.set ?? [] },
      {
        runtime,
        store,
        signal: io.signal,
        resolveRegistryAuth: (host) => credentials(host),
        onEvent: (event) => io.stdout.write(flags.json ? `${JSON.stringify(event)}\n` : formatter.format(event)),
      },
    );
  } catch (error) {
    io.stderr.write(`error: ${errorText(error)}\n`);
    return RUN_EXIT.failed;
  }
  if (!flags.json)
    io.stderr.write(`Run record: ${store.directory}/${result.runId} (context ${contextOf(definition, file.path)})\n`);
  if (result.status === 'succeeded') return RUN_EXIT.succeeded;
  return result.status === 'cancelled' ? RUN_EXIT.cancelled : RUN_EXIT.failed;
}

export async function taskCommand(
  argv: string[],
  io: CliIo,
  dependencies: DefinitionsCliDependencies = {},
): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'create':
      return create(rest, io);
    case 'update':
      return update(rest, io);
    case 'delete':
      return remove(rest, io);
    case 'list':
      return list(rest, io, dependencies);
    case 'run':
      return run(rest, io, dependencies);
    case undefined:
    case '--help':
    case '-h':
      io.stdout.write(TASK_USAGE);
      return sub === undefined ? RUN_EXIT.usage : 0;
    default:
      throw new UsageError(`unknown task command '${sub}'\n${TASK_USAGE}`);
  }
}
