/**
 * Trigger tests on the real engine and the htpasswd registry: base images in versions (busybox roots
 * that differ by `/base-version`), pushed under one tag; a definitions folder; a watcher whose events
 * can be awaited.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { RunStore } from '../../../server/src/engine/runStore/RunStore';
import { TriggerWatcher, type TriggerWatcherOptions } from '../../../server/src/engine/triggers/TriggerWatcher';
import { DEFINITIONS_FILE_NAME } from '../../../server/src/task/definitions/model';
import type { RunEvent, WatcherEvent } from '../../../server/src/protocol';
import { runtimeFor } from '../runtime/runtimeFixtures';
import { ensureBusyboxImage, getDocker, getRegistry, pushImage, type DockerEnv, type RegistryEnv } from '../setup';

export interface TriggerWorld {
  env: DockerEnv;
  registry: RegistryEnv;
  runtime: DockerodeRuntime;
}

export async function triggerWorld(): Promise<TriggerWorld> {
  const env = await getDocker();
  const registry = await getRegistry();
  return { env, registry, runtime: await runtimeFor(env) };
}

/**
 * Pushes a base image version under `reference` (e.g. `127.0.0.1:5000/trg/base:latest`): a busybox root
 * whose `/base-version` holds `version`. Resolves with the pushed manifest digest.
 */
export async function pushBase(
  world: TriggerWorld,
  reference: string,
  version: string,
  address = world.registry.address,
): Promise<string> {
  const local = `acrtest/trigger-base:${version}`;
  await ensureBusyboxImage(world.env.docker, local, { files: { '/base-version': `${version}\n` } });
  const colon = reference.lastIndexOf(':');
  await world.env.docker.getImage(local).tag({ repo: reference.slice(0, colon), tag: reference.slice(colon + 1) });
  return pushImage(world.env.docker, reference, { ...world.registry.auth, serveraddress: address });
}

/** A folder with the definitions file, and a private run store. */
export function definitionsFolder(
  definitions: string,
  files: Record<string, string> = {},
): { folder: string; store: RunStore; dispose: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'acr-triggers-it-'));
  writeFileSync(join(folder, DEFINITIONS_FILE_NAME), definitions);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  const storeDir = mkdtempSync(join(tmpdir(), 'acr-triggers-store-'));
  return {
    folder,
    store: new RunStore({ directory: storeDir }),
    dispose: () => {
      rmSync(folder, { recursive: true, force: true });
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/** Watcher events as they come, awaitable in order. */
export class EventLog<T> {
  readonly events: T[] = [];
  private readonly waiters = new Set<() => void>();

  push(event: T): void {
    this.events.push(event);
    for (const waiter of [...this.waiters]) waiter();
  }

  /** The first event (at or after `from`) that matches; rejects after `timeoutMs` saying what was seen. */
  waitFor<S extends T>(what: string, match: (event: T) => event is S, timeoutMs: number, from?: number): Promise<S>;
  waitFor(what: string, match: (event: T) => boolean, timeoutMs: number, from?: number): Promise<T>;
  waitFor(what: string, match: (event: T) => boolean, timeoutMs: number, from = 0): Promise<T> {
    return new Promise((resolve, reject) => {
      const look = () => {
        const found = this.events.slice(from).find(match);
        if (found === undefined) return false;
        this.waiters.delete(look);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(look);
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}; events: ${JSON.stringify(this.events)}`),
        );
      }, timeoutMs);
      this.waiters.add(look);
      look();
    });
  }
}

export type RunFinished = Extract<WatcherEvent, { type: 'runFinished' }>;
export type RunStartedWatch = Extract<WatcherEvent, { type: 'runStarted' }>;

export const finishedOf =
  (task: string, trigger?: string) =>
  (event: WatcherEvent): event is RunFinished =>
    event.type === 'runFinished' && event.task === task && (trigger === undefined || event.trigger === trigger);

export const startedOf =
  (task: string, trigger?: string) =>
  (event: WatcherEvent): event is RunStartedWatch =>
    event.type === 'runStarted' && event.task === task && (trigger === undefined || event.trigger === trigger);

export interface WatchedFolder {
  watcher: TriggerWatcher;
  events: EventLog<WatcherEvent>;
  runEvents: EventLog<RunEvent>;
}

export function watch(
  world: TriggerWorld,
  folder: string,
  store: RunStore,
  options: Partial<TriggerWatcherOptions> = {},
): WatchedFolder {
  const events = new EventLog<WatcherEvent>();
  const runEvents = new EventLog<RunEvent>();
  const watcher = new TriggerWatcher({
    folder,
    runtime: world.runtime,
    store,
    // The same credentials as pushes: the registry's, for whichever address the test uses.
    resolveRegistryAuth: () => Promise.resolve({ ...world.registry.auth }),
    pollSeconds: 2,
    onEvent: (event) => events.push(event),
    onRunEvent: (event) => runEvents.push(event),
    ...options,
  });
  return { watcher, events, runEvents };
}

/** Runs a task by hand through the watcher and waits for it to finish. */
export async function runOnce(watched: WatchedFolder, task: string, timeoutMs = 90_000): Promise<RunFinished> {
  const from = watched.events.events.length;
  await watched.watcher.runNow(task);
  return watched.events.waitFor(`${task} to finish`, finishedOf(task, 'manual'), timeoutMs, from);
}

/** Text a container of `image` prints for `cat /built-on`. */
export async function builtOn(world: TriggerWorld, image: string): Promise<string> {
  const output: string[] = [];
  await world.runtime.runContainer(
    {
      name: `trigger-it-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
      image,
      args: ['cat', '/built-on'],
      env: [],
      privileged: false,
      networkAliases: [],
      ports: [],
      expose: [],
      binds: [],
      autoRemove: true,
      labels: {},
    },
    {
      signal: AbortSignal.timeout(60_000),
      detach: false,
      onOutput: (_stream, chunk) => output.push(chunk.toString('utf8')),
    },
  );
  return output.join('');
}
