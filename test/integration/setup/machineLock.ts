import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';
import { harnessStateDir } from './processes';

/**
 * Runs `action` while holding the lock `name`, shared by all test runs on this machine (so concurrent runs
 * of developers, helpers and CI steps take turns). proper-lockfile refreshes the lock while we hold it and
 * treats it as stale when a crashed holder stopped refreshing it.
 */
export async function withMachineLock<T>(name: string, action: () => Promise<T>): Promise<T> {
  const dir = harnessStateDir(name);
  const unlock = await lockfile.lock(dir, {
    lockfilePath: path.join(dir, 'lock'),
    realpath: false,
    stale: 20_000,
    update: 5_000,
    // Another run may hold the lock while it starts a daemon (seconds) or stops one (up to ~40 s).
    retries: { retries: 400, minTimeout: 100, maxTimeout: 250, factor: 1.2 },
  });
  try {
    return await action();
  } finally {
    await unlock();
  }
}
