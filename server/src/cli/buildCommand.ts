/**
 * `build [CONTEXT] [-t IMAGE]... [-f DOCKERFILE] [--build-arg K[=V]]... [--secret-build-arg K[=V]]...
 *  [--target T] [--platform P] [--no-cache] [--no-push] [--registry R] [--id ID] [--list-context]
 *  [--json] [--engine HOST] [--timeout S]`
 *
 * `az acr build` on the local (or given) Docker engine (spec §9.1). CONTEXT is a folder (default `.`), a
 * git URL (`…repo.git#ref:subdir`) or an http(s) tarball URL. Exit codes as `run`: 0 succeeded, 1 failed
 * or timed out, 2 bad input, 130 cancelled. `--list-context` prints what would be sent and builds nothing.
 * `--build-arg NAME` / `--secret-build-arg NAME` without a value read the environment variable NAME, so a
 * secret never has to appear in the process arguments.
 */
import * as os from 'node:os';
import { parseArgs } from 'node:util';

import type { ContainerRuntime } from '../engine/ContainerRuntime';
import { DockerodeRuntime } from '../engine/DockerodeRuntime';
import { readFileIfExists } from '../engine/dockerEndpoint';
import { listBuildContext } from '../engine/quickBuild/contextListing';
import { prepareQuickBuild, QuickBuildError } from '../engine/quickBuild/runQuickBuild';
import { resolveRegistryAuth } from '../engine/registryAuth';
import { RunLogFormatter } from '../engine/runStore/logText';
import { defaultRunsDirectory, RunStore } from '../engine/runStore/RunStore';
import { type CliIo, UsageError } from './cliIo';
import { formatContextListing } from './contextListingText';
import { RUN_EXIT } from './runCommand';

export const BUILD_USAGE =
  'usage: build [CONTEXT] [-t IMAGE]... [-f DOCKERFILE] [--build-arg K[=V]]... [--secret-build-arg K[=V]]... [--target T] [--platform P] [--no-cache] [--no-push] [--registry R] [--id ID] [--list-context] [--json] [--engine HOST] [--timeout S]';

export interface BuildCommandDependencies {
  /** The engine; default: DockerodeRuntime for `--engine` or the docker CLI's choice. */
  runtime?: (engine: string | undefined) => Promise<ContainerRuntime>;
}

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds <= 0)
    throw new UsageError(`--timeout ${text}: expected a whole number of seconds > 0`);
  return seconds;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function buildCommand(
  argv: string[],
  io: CliIo,
  dependencies: BuildCommandDependencies = {},
): Promise<number> {
  const { values: flags, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      image: { type: 'string', short: 't', multiple: true },
      file: { type: 'string', short: 'f' },
      'build-arg': { type: 'string', multiple: true },
      'secret-build-arg': { type: 'string', multiple: true },
      target: { type: 'string' },
      platform: { type: 'string' },
      'no-cache': { type: 'boolean' },
      'no-push': { type: 'boolean' },
      registry: { type: 'string', short: 'r' },
      id: { type: 'string' },
      'list-context': { type: 'boolean' },
      json: { type: 'boolean' },
      engine: { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new UsageError(BUILD_USAGE);
  const context = positionals[0] ?? '.';
  const timeoutSeconds = parseTimeout(flags.timeout);

  if (flags['list-context']) {
    try {
      const listing = await listBuildContext({
        context,
        cwd: io.cwd,
        env: io.env,
        signal: io.signal,
        listPaths: true,
        output: (text) => io.stderr.write(text),
        ...(flags.file !== undefined ? { dockerfile: flags.file } : {}),
      });
      io.stdout.write(flags.json ? `${JSON.stringify(listing, null, 2)}\n` : formatContextListing(listing));
      return RUN_EXIT.succeeded;
    } catch (error) {
      io.stderr.write(`error: ${message(error)}\n`);
      return error instanceof QuickBuildError ? RUN_EXIT.usage : RUN_EXIT.failed;
    }
  }

  const homeDir = io.env['HOME'] || os.homedir();
  const connect =
    dependencies.runtime ?? ((engine) => DockerodeRuntime.fromEnvironment(engine ? { host: engine } : {}));
  let runtime: ContainerRuntime;
  try {
    runtime = await connect(flags.engine);
  } catch (error) {
    io.stderr.write(`error: ${message(error)}\n`);
    return RUN_EXIT.failed;
  }
  const store = new RunStore({ directory: defaultRunsDirectory(io.env, process.platform, homeDir) });
  const formatter = new RunLogFormatter();
  let prepared;
  try {
    prepared = await prepareQuickBuild({
      runtime,
      context,
      cwd: io.cwd,
      env: io.env,
      tags: flags.image ?? [],
      buildArgs: flags['build-arg'] ?? [],
      secretBuildArgs: flags['secret-build-arg'] ?? [],
      store,
      signal: io.signal,
      trigger: 'cli',
      resolveRegistryAuth: (host) => resolveRegistryAuth(host, { env: io.env, homeDir, readFile: readFileIfExists }),
      onEvent: (event) => {
        if (flags.json) io.stdout.write(`${JSON.stringify(event)}\n`);
        else io.stdout.write(formatter.format(event));
      },
      ...(flags.file !== undefined ? { dockerfile: flags.file } : {}),
      ...(flags.target !== undefined ? { target: flags.target } : {}),
      ...(flags.platform !== undefined ? { platform: flags.platform } : {}),
      ...(flags['no-cache'] ? { noCache: true } : {}),
      ...(flags['no-push'] ? { noPush: true } : {}),
      ...(flags.registry ? { registry: flags.registry } : {}),
      ...(flags.id !== undefined ? { runId: flags.id } : {}),
      ...(timeoutSeconds ? { timeoutSeconds } : {}),
    });
  } catch (error) {
    if (error instanceof QuickBuildError) throw new UsageError(error.message);
    throw error;
  }
  const result = await prepared.start();
  if (!flags.json) io.stderr.write(`Run record: ${store.directory}/${result.runId}\n`);
  if (result.status === 'succeeded') return RUN_EXIT.succeeded;
  return result.status === 'cancelled' ? RUN_EXIT.cancelled : RUN_EXIT.failed;
}
