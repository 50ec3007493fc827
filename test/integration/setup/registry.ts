import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { RegistryAuth } from './dockerStreams';
import { freeLoopbackPort, statusOf } from './network';
import {
  findExecutable,
  harnessStateDir,
  isRunning,
  pruneOrphanedRecords,
  runTool,
  startBackground,
  stopProcess,
  waitFor,
  type BackgroundProcess,
} from './processes';

/** A Distribution registry on loopback with htpasswd (basic) auth, private to one test run. */
export interface RegistryEnv {
  /** `127.0.0.1:<port>`: the image name prefix and the `serveraddress` for credentials. */
  readonly address: string;
  /** `http://127.0.0.1:<port>`, for direct HTTP API calls (`/v2/...`). */
  readonly url: string;
  readonly username: string;
  /** Random per run; tests must keep it out of output and process arguments, as the product must. */
  readonly password: string;
  /** The credentials in the shape of the engine's `X-Registry-Auth` (dockerode `authconfig`). */
  readonly auth: RegistryAuth;
}

export const REGISTRY_USER = 'acrtest';
const REGISTRY_COMMAND = 'docker-registry';
const START_ATTEMPTS = 3;

/** Where a run records its registry, so a later run can clean up after a crash. */
interface RegistryRecord {
  readonly ownerPid: number;
  readonly registryPid: number;
  readonly dir: string;
}

export interface RunningRegistry {
  readonly env: RegistryEnv;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `docker-registry serve` on a free loopback port with a fresh storage dir and htpasswd file and
 * resolves once `/v2/` answers 401 (auth is on). The engine treats 127.0.0.0/8 registries as insecure, so
 * pushes go over plain HTTP without daemon configuration.
 */
export async function startRegistry(): Promise<RunningRegistry> {
  const executable = findExecutable(REGISTRY_COMMAND, 'docker-registry');
  const dir = mkdtempSync(path.join(harnessStateDir('registries'), `run-${process.pid}-`));
  try {
    const password = randomBytes(18).toString('base64url');
    // htpasswd reads the password from stdin (-i): secrets never go into process arguments.
    const htpasswdLine = await runTool(findExecutable('htpasswd', 'apache2-utils'), ['-iBn', REGISTRY_USER], {
      input: password,
    });
    writeFileSync(path.join(dir, 'htpasswd'), htpasswdLine.trim() + '\n', { mode: 0o600 });
    mkdirSync(path.join(dir, 'storage'));
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      const configFile = writeConfig(dir, port);
      const registry = await startBackground(executable, ['serve', configFile], {
        logFile: path.join(dir, 'registry.log'),
        detached: false,
      });
      const record: RegistryRecord = { ownerPid: process.pid, registryPid: registry.pid, dir };
      writeFileSync(recordFile(registry.pid), JSON.stringify(record));
      try {
        await waitForAuthChallenge(port, registry);
      } catch (error) {
        await stopRegistryProcess(record);
        // Another process can take the port between our probe and the registry's bind; try another one.
        if (attempt < START_ATTEMPTS) {
          continue;
        }
        throw error;
      }
      const address = `127.0.0.1:${port}`;
      return {
        env: {
          address,
          url: `http://${address}`,
          username: REGISTRY_USER,
          password,
          auth: { username: REGISTRY_USER, password, serveraddress: address },
        },
        pid: registry.pid,
        stop: () => stopRegistry(record),
      };
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Stops registries (and deletes their storage) that test runs which no longer exist left behind. */
export async function pruneStaleRegistries(): Promise<void> {
  await pruneOrphanedRecords(harnessStateDir('registries', 'records'), stopRegistry);
}

async function stopRegistry(record: RegistryRecord): Promise<void> {
  await stopRegistryProcess(record);
  rmSync(record.dir, { recursive: true, force: true });
}

async function stopRegistryProcess(record: RegistryRecord): Promise<void> {
  if (isRunning(record.registryPid, REGISTRY_COMMAND)) {
    await stopProcess(record.registryPid, 10_000);
  }
  rmSync(recordFile(record.registryPid), { force: true });
}

function recordFile(registryPid: number): string {
  return path.join(harnessStateDir('registries', 'records'), `${registryPid}.json`);
}

function writeConfig(dir: string, port: number): string {
  // JSON is valid YAML, so the config needs no YAML writer.
  const config = {
    version: 0.1,
    log: { level: 'info', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: path.join(dir, 'storage') }, delete: { enabled: true } },
    http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
    auth: { htpasswd: { realm: 'basic-realm', path: path.join(dir, 'htpasswd') } },
    health: { storagedriver: { enabled: false } },
  };
  const file = path.join(dir, 'config.yml');
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return file;
}

async function waitForAuthChallenge(port: number, registry: BackgroundProcess): Promise<void> {
  await waitFor(
    `docker-registry to answer 401 on 127.0.0.1:${port}/v2/`,
    async () => ((await statusOf(`http://127.0.0.1:${port}/v2/`)) === 401 ? true : undefined),
    { timeoutMs: 30_000, process: registry },
  );
}
