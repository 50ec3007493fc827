/**
 * What `task`, `runs` and `watch` share: the definitions file of the current folder, the run store (the
 * same one `run` records into), the engine, and registry credentials from the docker config.
 */
import * as os from 'node:os';

import type { ContainerRuntime, RegistryAuth } from '../engine/ContainerRuntime';
import { DockerodeRuntime } from '../engine/DockerodeRuntime';
import { readFileIfExists } from '../engine/dockerEndpoint';
import { resolveRegistryAuth } from '../engine/registryAuth';
import { defaultRunsDirectory, RunStore } from '../engine/runStore/RunStore';
import type { CliIo } from './cliIo';
import { UsageError } from './cliIo';

export interface DefinitionsCliDependencies {
  /** The engine; default: DockerodeRuntime for `--engine` or the docker CLI's choice. */
  runtime?: (engine: string | undefined) => Promise<ContainerRuntime>;
  /** The run store; default: the user's run history (the one `run` uses). */
  store?: (retentionDays?: number) => RunStore;
}

export function homeOf(io: CliIo): string {
  return io.env['HOME'] || os.homedir();
}

export function openStore(io: CliIo, dependencies: DefinitionsCliDependencies, retentionDays?: number): RunStore {
  if (dependencies.store) return dependencies.store(retentionDays);
  return new RunStore({
    directory: defaultRunsDirectory(io.env, process.platform, homeOf(io)),
    ...(retentionDays === undefined ? {} : { retentionDays }),
  });
}

export function connectRuntime(
  engine: string | undefined,
  dependencies: DefinitionsCliDependencies,
): Promise<ContainerRuntime> {
  return dependencies.runtime
    ? dependencies.runtime(engine)
    : DockerodeRuntime.fromEnvironment(engine ? { host: engine } : {});
}

export function registryCredentials(io: CliIo): (host: string) => Promise<RegistryAuth | undefined> {
  const homeDir = homeOf(io);
  return (host) => resolveRegistryAuth(host, { env: io.env, homeDir, readFile: readFileIfExists });
}

/** `true`/`false` flag values (az takes them as words). */
export function parseBooleanFlag(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0)$/i.test(value)) return false;
  throw new UsageError(`--${name} ${value}: expected true or false`);
}

export function parsePositiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new UsageError(`--${name} ${value}: expected a whole number > 0`);
  return number;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
