import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { withMachineLock } from './machineLock';
import { harnessStateDir, isAlive, isRunning, stopProcess } from './processes';

/**
 * How to reach, start and clean up one machine-wide daemon (a Docker engine).
 *
 * Several test runs can share the machine (developers, helpers, CI steps), so a daemon the harness starts
 * is shared: each run holds a lease, and the last run to leave stops the daemon, but only one that the
 * harness itself started (recorded in `owner.json`), never an engine the user runs.
 */
export interface SharedDaemonSpec<Info> {
  /** Folder name under the harness state dir, e.g. `dockerd`. */
  readonly name: string;
  /** Kernel command name of the daemon (`dockerd`), checked before signalling a recorded pid. */
  readonly commandName: string;
  /** Connection info when the daemon answers right now, else undefined. Must not throw. */
  probe(): Promise<Info | undefined>;
  /**
   * Starts the daemon and resolves once it answers. It calls `recordOwned(pid)` as soon as it has spawned a
   * daemon process (before waiting for it), so that a run that crashes meanwhile leaves a record behind.
   */
  start(recordOwned: (pid: number) => void): Promise<Info>;
  /** Runs after the harness stopped its daemon (e.g. to delete the network bridge it created). */
  afterStop?(): Promise<void>;
}

export interface DaemonLease<Info> {
  readonly info: Info;
  /** True when the daemon was started by this harness (by this run or an earlier crashed one). */
  readonly startedByHarness: boolean;
  /** Gives the lease back; the last holder stops a harness-started daemon. */
  release(): Promise<void>;
}

interface OwnerRecord {
  readonly pid: number;
}

/** Takes a lease on the daemon, starting it if nothing answers. */
export async function acquireDaemon<Info>(spec: SharedDaemonSpec<Info>): Promise<DaemonLease<Info>> {
  const dir = harnessStateDir(spec.name);
  const acquired = await withMachineLock(spec.name, async () => {
    addOwnLease(dir);
    try {
      return await probeOrStart(spec, dir);
    } catch (error) {
      removeOwnLease(dir);
      throw error;
    }
  });
  let released = false;
  return {
    info: acquired.info,
    startedByHarness: acquired.startedByHarness,
    release: async () => {
      if (released) {
        return;
      }
      released = true;
      await withMachineLock(spec.name, async () => {
        removeOwnLease(dir);
        if (liveLeases(dir).length === 0) {
          await stopOwnedDaemon(spec, dir);
        }
      });
    },
  };
}

async function probeOrStart<Info>(
  spec: SharedDaemonSpec<Info>,
  dir: string,
): Promise<{ info: Info; startedByHarness: boolean }> {
  const answering = await spec.probe();
  const owner = readOwner(dir);
  if (answering !== undefined) {
    return { info: answering, startedByHarness: isRunning(owner?.pid, spec.commandName) };
  }
  // Nothing answers. A daemon we started earlier that is still alive is hung (or was half-stopped by a
  // crashed run): stop it so that its pid file and data root are free for a fresh start.
  await stopOwnedDaemon(spec, dir);
  let owned = false;
  const recordOwned = (pid: number): void => {
    writeFileSync(path.join(dir, 'owner.json'), JSON.stringify({ pid } satisfies OwnerRecord));
    owned = true;
  };
  try {
    return { info: await spec.start(recordOwned), startedByHarness: owned };
  } catch (error) {
    // A daemon that never answered must not hold its pid file and data root for the next attempt.
    await stopOwnedDaemon(spec, dir);
    throw error;
  }
}

async function stopOwnedDaemon<Info>(spec: SharedDaemonSpec<Info>, dir: string): Promise<void> {
  const owner = readOwner(dir);
  if (!owner) {
    return;
  }
  if (isRunning(owner.pid, spec.commandName)) {
    await stopProcess(owner.pid);
  }
  rmSync(path.join(dir, 'owner.json'), { force: true });
  await spec.afterStop?.();
}

function readOwner(dir: string): OwnerRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(path.join(dir, 'owner.json'), 'utf8')) as Partial<OwnerRecord>;
    return typeof record.pid === 'number' ? { pid: record.pid } : undefined;
  } catch {
    return undefined;
  }
}

function leasesDir(dir: string): string {
  const leases = path.join(dir, 'leases');
  mkdirSync(leases, { recursive: true });
  return leases;
}

function addOwnLease(dir: string): void {
  writeFileSync(path.join(leasesDir(dir), String(process.pid)), '');
}

function removeOwnLease(dir: string): void {
  rmSync(path.join(leasesDir(dir), String(process.pid)), { force: true });
}

/** Leases of test runs that are still alive; those of crashed runs are deleted on the way. */
function liveLeases(dir: string): number[] {
  const live: number[] = [];
  for (const name of readdirSync(leasesDir(dir))) {
    const pid = Number.parseInt(name, 10);
    if (Number.isInteger(pid) && isAlive(pid)) {
      live.push(pid);
    } else {
      rmSync(path.join(leasesDir(dir), name), { force: true });
    }
  }
  return live;
}
