/**
 * Commit and timer triggers on the real engine: a new commit on the tracked branch runs the task on
 * that commit (not the working tree) with `$Commit`/`$Branch`; a cron timer on an injected clock runs
 * the task at its time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deepStrictEqual, strictEqual } from 'node:assert';

import { RunStore } from '../../../server/src/engine/runStore/RunStore';
import { DEFINITIONS_FILE_NAME } from '../../../server/src/task/definitions/model';
import type { StepOutputEvent } from '../../../server/src/protocol';
import { FakeClock } from '../../unit/triggers/fakeClock';
import { BUSYBOX_IMAGE } from '../setup';
import { definitionsFolder, finishedOf, triggerWorld, watch, type TriggerWorld } from './triggerFixtures';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=it', '-c', 'user.email=it@example.invalid', ...args], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
}

describe('commit and timer triggers (real engine)', function () {
  let world: TriggerWorld;
  const cleanups: (() => Promise<void> | void)[] = [];

  before(async function () {
    world = await triggerWorld();
  });

  afterEach(async function () {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('a commit on the tracked branch runs the task on that commit with $Commit and $Branch', async function () {
    const repo = mkdtempSync(join(tmpdir(), 'acr-commit-it-'));
    const storeDir = mkdtempSync(join(tmpdir(), 'acr-commit-store-'));
    cleanups.push(
      () => rmSync(repo, { recursive: true, force: true }),
      () => rmSync(storeDir, { recursive: true, force: true }),
    );
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(
      join(repo, 'acr-task.yaml'),
      `steps:\n  - id: show\n    cmd: ${BUSYBOX_IMAGE} sh -c 'cat msg.txt; echo commit={{.Run.Commit}} branch={{.Run.Branch}}'\n`,
    );
    writeFileSync(join(repo, 'msg.txt'), 'one\n');
    git(repo, 'add', 'acr-task.yaml', 'msg.txt');
    git(repo, 'commit', '-q', '-m', 'one');
    writeFileSync(
      join(repo, DEFINITIONS_FILE_NAME),
      'tasks:\n  show:\n    file: acr-task.yaml\n    triggers: {commit: {branch: main}, baseImage: {enabled: false}}\n',
    );
    const store = new RunStore({ directory: storeDir });
    const watched = watch(world, repo, store);
    cleanups.push(() => watched.watcher.stop('cancel'));
    await watched.watcher.start();
    strictEqual(watched.watcher.state()[0]?.commit.state, 'watching');

    writeFileSync(join(repo, 'msg.txt'), 'two\n');
    git(repo, 'commit', '-q', '-am', 'two');
    const commit = git(repo, 'rev-parse', 'HEAD');
    // Not committed: the run builds the commit, as ACR does from a clone.
    writeFileSync(join(repo, 'msg.txt'), 'uncommitted\n');
    const from = watched.events.events.length;
    await watched.watcher.check();
    const finished = await watched.events.waitFor('the commit run', finishedOf('show', 'commit'), 90_000, from);
    strictEqual(finished.status, 'succeeded', finished.error);
    const output = watched.runEvents.events
      .filter((event): event is StepOutputEvent => event.type === 'stepOutput' && event.runId === finished.runId)
      .map((event) => event.text)
      .join('');
    strictEqual(output, `two\ncommit=${commit} branch=main\n`);
    const record = await store.get(finished.runId);
    deepStrictEqual(
      [record?.runVariables?.['Commit'], record?.runVariables?.['Branch'], record?.trigger],
      [commit, 'main', 'commit'],
    );
    deepStrictEqual(record?.origin?.cause, {
      kind: 'commit',
      commit,
      branch: 'main',
      previous: git(repo, 'rev-parse', 'HEAD~1'),
    });
  });

  it('a cron timer runs the task at its time (injected clock)', async function () {
    const folder = definitionsFolder(
      'tasks:\n  tick:\n    file: acr-task.yaml\n    triggers: {schedules: {five: "*/5 * * * *"}}\n',
      { 'acr-task.yaml': `steps:\n  - cmd: ${BUSYBOX_IMAGE} echo tick\n` },
    );
    const clock = new FakeClock('2024-01-01T00:04:00.000Z');
    const watched = watch(world, folder.folder, folder.store, { clock });
    cleanups.push(folder.dispose, () => watched.watcher.stop('cancel'));
    await watched.watcher.start();
    deepStrictEqual(watched.watcher.state()[0]?.schedules, [
      { name: 'five', cron: '*/5 * * * *', next: '2024-01-01T00:05:00.000Z' },
    ]);
    clock.advanceTo('2024-01-01T00:05:00.000Z');
    const finished = await watched.events.waitFor('the timer run', finishedOf('tick', 'timer'), 90_000);
    strictEqual(finished.status, 'succeeded', finished.error);
    deepStrictEqual((await folder.store.get(finished.runId))?.origin?.cause, {
      kind: 'schedule',
      timer: 'five',
      cron: '*/5 * * * *',
      scheduledAt: '2024-01-01T00:05:00.000Z',
    });
    strictEqual(watched.watcher.state()[0]?.schedules[0]?.next, '2024-01-01T00:10:00.000Z');
  });
});
