/**
 * `run FILE [CONTEXT] [--values F] [--set K=V]... [--secret ID[=V]]... [--secret-env-file F]
 *  [--registry R] [--id ID] [--dry-run] [--json] [--engine HOST] [--timeout S]`
 *
 * Runs a task file against the local (or given) Docker engine with ACR's semantics. Exit code 0 only
 * when the run succeeded (1 failed or timed out, 130 cancelled, 2 bad input). Ctrl+C cancels cleanly:
 * the caller's AbortSignal reaches the engine, which removes everything the run created.
 * `--secret ID` without a value reads the value from the environment variable ID, so it never has to
 * appear in the process arguments.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import type { ContainerRuntime } from '../engine/ContainerRuntime';
import { DockerodeRuntime } from '../engine/DockerodeRuntime';
import { readFileIfExists } from '../engine/dockerEndpoint';
import { resolveRegistryAuth } from '../engine/registryAuth';
import { planRun } from '../engine/run/planRun';
import { isValidRunId } from '../engine/run/runId';
import { runTask, type RunTaskOptions } from '../engine/run/runTask';
import { RunLogFormatter } from '../engine/runStore/logText';
import { defaultRunsDirectory, RunStore } from '../engine/runStore/RunStore';
import { type CliIo, UsageError } from './cliIo';
import { formatRunPlan } from './runPlanText';
import { readTaskFile, readValuesFile } from './taskInput';

export const RUN_USAGE =
  'usage: run FILE [CONTEXT] [--values F] [--set K=V]... [--secret ID[=VALUE]]... [--secret-env-file F] [--registry R] [--id ID] [--dry-run] [--json] [--engine HOST] [--timeout S]';

/** Exit codes of `run`. */
export const RUN_EXIT = { succeeded: 0, failed: 1, usage: 2, cancelled: 130 } as const;

/** `ID=VALUE` lines of a dotenv-style file (blank lines and `#` comments skipped, surrounding quotes removed). */
export function parseSecretEnvFile(text: string, file: string): Record<string, string> {
  const secrets: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const body = trimmed.replace(/^export\s+/, '');
    const equals = body.indexOf('=');
    if (equals <= 0) throw new UsageError(`${file}:${index + 1}: expected ID=VALUE`);
    let value = body.slice(equals + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]))
      value = value.slice(1, -1);
    secrets[body.slice(0, equals).trim()] = value;
  });
  return secrets;
}

function readSecrets(items: readonly string[], envFile: string | undefined, io: CliIo): Record<string, string> {
  let secrets: Record<string, string> = {};
  if (envFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, envFile), 'utf8');
    } catch (error) {
      throw new UsageError(
        `cannot read secret env file ${envFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    secrets = parseSecretEnvFile(text, envFile);
  }
  for (const item of items) {
    const equals = item.indexOf('=');
    const id = equals < 0 ? item : item.slice(0, equals);
    if (id === '') throw new UsageError(`--secret ${item}: expected ID=VALUE or ID`);
    if (equals >= 0) {
      secrets[id] = item.slice(equals + 1);
      continue;
    }
    const fromEnv = io.env[id];
    if (fromEnv === undefined) throw new UsageError(`--secret ${id}: the environment variable ${id} is not set`);
    secrets[id] = fromEnv;
  }
  return secrets;
}

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds <= 0)
    throw new UsageError(`--timeout ${text}: expected a whole number of seconds > 0`);
  return seconds;
}

export interface RunCommandDependencies {
  /** The engine; default: DockerodeRuntime for `--engine` or the docker CLI's choice. */
  runtime?: (engine: string | undefined) => Promise<ContainerRuntime>;
}

export async function runCommand(
  argv: string[],
  io: CliIo,
  dependencies: RunCommandDependencies = {},
): Promise<number> {
  const { values: flags, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      values: { type: 'string' },
      set: { type: 'string', multiple: true },
      secret: { type: 'string', multiple: true },
      'secret-env-file': { type: 'string' },
      registry: { type: 'string' },
      id: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      engine: { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError(RUN_USAGE);
  const file = readTaskFile(positionals[0], io.cwd);
  const contextDir = resolve(io.cwd, positionals[1] ?? dirname(file.path));
  const values = readValuesFile(flags.values, io.cwd);
  const secrets = readSecrets(flags.secret ?? [], flags['secret-env-file'], io);
  const timeoutSeconds = parseTimeout(flags.timeout);
  if (flags.id !== undefined && !isValidRunId(flags.id)) {
    throw new UsageError(
      `--id ${flags.id}: a run id is lowercase letters and digits, starting with a letter (like ACR's \`ca1\`)`,
    );
  }
  const shownFile = relative(io.cwd, file.path) || file.path;
  const homeDir = io.env['HOME'] || os.homedir();
  const connect =
    dependencies.runtime ?? ((engine) => DockerodeRuntime.fromEnvironment(engine ? { host: engine } : {}));

  const options: Omit<RunTaskOptions, 'runtime'> = {
    taskFile: shownFile,
    taskText: file.text,
    contextDir,
    secrets,
    trigger: 'cli',
    signal: io.signal,
    resolveRegistryAuth: (host) => resolveRegistryAuth(host, { env: io.env, homeDir, readFile: readFileIfExists }),
    ...(values ? { values } : {}),
    ...(flags.set ? { set: flags.set } : {}),
    ...(flags.registry ? { registry: flags.registry } : {}),
    ...(flags.id ? { runId: flags.id } : {}),
    ...(timeoutSeconds ? { timeoutSeconds } : {}),
  };

  let runtime: ContainerRuntime | undefined;
  try {
    runtime = await connect(flags.engine);
  } catch (error) {
    // A dry run does not need the engine; a run reports it like any other failure below.
    if (!flags['dry-run']) {
      io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      return RUN_EXIT.failed;
    }
  }

  if (flags['dry-run']) {
    const plan = await planRun({ ...options, ...(runtime ? { runtime } : {}) });
    io.stdout.write(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : formatRunPlan(plan));
    return plan.errors.length > 0 ? RUN_EXIT.failed : RUN_EXIT.succeeded;
  }

  const store = new RunStore({ directory: defaultRunsDirectory(io.env, process.platform, homeDir) });
  const formatter = new RunLogFormatter();
  const result = await runTask({
    ...options,
    runtime: runtime!,
    store,
    onEvent: (event) => {
      if (flags.json) io.stdout.write(`${JSON.stringify(event)}\n`);
      else io.stdout.write(formatter.format(event));
    },
  });
  if (!flags.json) io.stderr.write(`Run record: ${store.directory}/${result.runId}\n`);
  if (result.status === 'succeeded') return RUN_EXIT.succeeded;
  return result.status === 'cancelled' ? RUN_EXIT.cancelled : RUN_EXIT.failed;
}
