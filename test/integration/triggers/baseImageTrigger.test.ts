/**
 * Base-image update triggers on the real engine and the htpasswd registry (spec §10.2): a base pushed
 * again under the same tag runs the task by itself and the new image is built on it; cascades of two
 * levels; a task that rebuilds its own base runs once; a build-time-only change does not trigger a
 * Runtime task (but does an All one).
 */
import { deepStrictEqual, ok, strictEqual } from 'node:assert';

import type { RunStore } from '../../../server/src/engine/runStore/RunStore';
import {
  builtOn,
  definitionsFolder,
  finishedOf,
  pushBase,
  runOnce,
  startedOf,
  triggerWorld,
  watch,
  type TriggerWorld,
  type WatchedFolder,
} from './triggerFixtures';

const DOCKERFILE_ON = (base: string) => `FROM ${base}\nRUN cat /base-version > /built-on\n`;

describe('base-image trigger (real engine and registry)', function () {
  let world: TriggerWorld;
  let reg: string;
  const cleanups: (() => Promise<void> | void)[] = [];

  before(async function () {
    world = await triggerWorld();
    reg = world.registry.address;
  });

  afterEach(async function () {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function started(definitions: string, files: Record<string, string>): WatchedFolder & { store: RunStore } {
    const folder = definitionsFolder(definitions, files);
    const watched = watch(world, folder.folder, folder.store);
    cleanups.push(folder.dispose, () => watched.watcher.stop('cancel'));
    return { ...watched, store: folder.store };
  }

  it('a base pushed again under the same tag runs the task within 10 s at a 2 s poll, built on the new base', async function () {
    const base = `${reg}/trg/base:latest`;
    const digestV1 = await pushBase(world, base, 'v1');
    const watched = started(
      `tasks:\n  app:\n    file: Dockerfile\n    images: ["${reg}/trg/app:latest"]\n    registry: ${reg}\n    triggers: {commit: {enabled: false}}\n`,
      { Dockerfile: DOCKERFILE_ON(base) },
    );
    await watched.watcher.start();
    strictEqual(watched.watcher.state()[0]?.baseImage.state, 'needsFirstRun');
    strictEqual((await runOnce(watched, 'app')).status, 'succeeded');
    strictEqual(await builtOn(world, `${reg}/trg/app:latest`), 'v1\n');

    const from = watched.events.events.length;
    const digestV2 = await pushBase(world, base, 'v2');
    const pushedAt = Date.now();
    const triggered = await watched.events.waitFor('the triggered run', startedOf('app', 'imageUpdate'), 10_000, from);
    const latency = Date.now() - pushedAt;
    ok(latency <= 10_000, `started ${latency} ms after the push`);
    const finished = await watched.events.waitFor(
      'the triggered run to end',
      finishedOf('app', 'imageUpdate'),
      90_000,
      from,
    );
    strictEqual(finished.status, 'succeeded', finished.error);
    strictEqual(await builtOn(world, `${reg}/trg/app:latest`), 'v2\n');

    const record = await watched.store.get(triggered.runId);
    deepStrictEqual(record?.origin?.cause, {
      kind: 'baseImage',
      changes: [
        {
          reference: base,
          dependency: 'runtime',
          old: { source: 'registry', value: digestV1 },
          new: { source: 'registry', value: digestV2 },
        },
      ],
      chain: [],
    });
    strictEqual(record?.trigger, 'imageUpdate');
    strictEqual(record?.runVariables?.['TriggeredBy'], 'imageUpdate');
    strictEqual(record?.runVariables?.['TaskName'], 'app');
    // The new run is the new baseline: checking again runs nothing.
    const settled = watched.events.events.length;
    await watched.watcher.check();
    deepStrictEqual(
      watched.events.events.slice(settled).filter((event) => event.type === 'triggered'),
      [],
    );
  });

  it('cascades two levels: a base push runs mid, whose push runs leaf, then nothing more', async function () {
    const base = `${reg}/trg/cascade-base:latest`;
    const mid = `${reg}/trg/cascade-mid:latest`;
    await pushBase(world, base, 'v1');
    const watched = started(
      [
        'tasks:',
        '  mid:',
        `    file: mid.Dockerfile`,
        `    images: ["${mid}"]`,
        `    registry: ${reg}`,
        '  leaf:',
        `    file: leaf.Dockerfile`,
        `    images: ["${reg}/trg/cascade-leaf:latest"]`,
        `    registry: ${reg}`,
        '',
      ].join('\n'),
      {
        'mid.Dockerfile': DOCKERFILE_ON(base),
        'leaf.Dockerfile': `FROM ${mid}\nRUN echo leaf >> /built-on\n`,
      },
    );
    await watched.watcher.start();
    strictEqual((await runOnce(watched, 'mid')).status, 'succeeded');
    strictEqual((await runOnce(watched, 'leaf')).status, 'succeeded');

    const from = watched.events.events.length;
    await pushBase(world, base, 'v2');
    const midRun = await watched.events.waitFor('mid to run', finishedOf('mid', 'imageUpdate'), 90_000, from);
    strictEqual(midRun.status, 'succeeded', midRun.error);
    const leafRun = await watched.events.waitFor('leaf to run', finishedOf('leaf', 'imageUpdate'), 90_000, from);
    strictEqual(leafRun.status, 'succeeded', leafRun.error);
    strictEqual(await builtOn(world, `${reg}/trg/cascade-leaf:latest`), 'v2\nleaf\n');
    const cause = (await watched.store.get(leafRun.runId))?.origin?.cause;
    deepStrictEqual(cause?.kind === 'baseImage' ? [cause.chain, cause.causedBy] : cause, [
      ['mid'],
      { task: 'mid', runId: midRun.runId },
    ]);

    // Nothing more happens: two more checks trigger nothing.
    const settled = watched.events.events.length;
    await watched.watcher.check();
    await watched.watcher.check();
    deepStrictEqual(
      watched.events.events.slice(settled).filter((event) => event.type === 'triggered'),
      [],
    );
  });

  it('a cycle (ping built on pong, pong built on ping) goes round once and stops', async function () {
    const ping = `${reg}/trg/ping:latest`;
    const pong = `${reg}/trg/pong:latest`;
    await pushBase(world, pong, 'v1');
    const watched = started(
      [
        'tasks:',
        '  ping:',
        '    file: ping.Dockerfile',
        `    images: ["${ping}"]`,
        `    registry: ${reg}`,
        '  pong:',
        '    file: pong.Dockerfile',
        `    images: ["${pong}"]`,
        `    registry: ${reg}`,
        '',
      ].join('\n'),
      {
        'ping.Dockerfile': `FROM ${pong}\nRUN echo ping >> /base-version\n`,
        'pong.Dockerfile': `FROM ${ping}\nRUN echo pong >> /base-version\n`,
      },
    );
    await watched.watcher.start();
    strictEqual((await runOnce(watched, 'ping')).status, 'succeeded');
    const from = watched.events.events.length;
    // pong's push changes ping's base → ping runs → its push changes pong's base, but pong started this.
    strictEqual((await runOnce(watched, 'pong')).status, 'succeeded');
    const pingRun = await watched.events.waitFor('ping to run', finishedOf('ping', 'imageUpdate'), 90_000, from);
    strictEqual(pingRun.status, 'succeeded', pingRun.error);
    const stopped = await watched.events.waitFor(
      'the loop to stop at pong',
      (event) => event.type === 'loopStopped' && event.task === 'pong',
      30_000,
      from,
    );
    deepStrictEqual(stopped, { type: 'loopStopped', task: 'pong', reference: ping, chain: ['pong', 'ping'] });
    await watched.watcher.check();
    deepStrictEqual(
      watched.events.events.slice(from).flatMap((event) => (event.type === 'triggered' ? [event.task] : [])),
      ['ping'],
    );
  });

  it('a build-time-only change does not trigger a Runtime task, and does trigger an All task', async function () {
    const builder = `${reg}/trg/builder:latest`;
    const runtimeBase = `${reg}/trg/runtime-base:latest`;
    await pushBase(world, builder, 'v1');
    await pushBase(world, runtimeBase, 'v1');
    const dockerfile = `FROM ${builder} AS build\nRUN cat /base-version > /from-builder\nFROM ${runtimeBase}\nCOPY --from=build /from-builder /built-on\n`;
    const watched = started(
      [
        'tasks:',
        '  runtime-only:',
        '    file: Dockerfile',
        '    triggers: {baseImage: {type: Runtime}}',
        '  all-bases:',
        '    file: Dockerfile',
        '    triggers: {baseImage: {type: All}}',
        '',
      ].join('\n'),
      { Dockerfile: dockerfile },
    );
    await watched.watcher.start();
    strictEqual((await runOnce(watched, 'runtime-only')).status, 'succeeded');
    strictEqual((await runOnce(watched, 'all-bases')).status, 'succeeded');
    const from = watched.events.events.length;
    await pushBase(world, builder, 'v2');
    await watched.watcher.check();
    const finished = await watched.events.waitFor(
      'all-bases to run',
      finishedOf('all-bases', 'imageUpdate'),
      90_000,
      from,
    );
    strictEqual(finished.status, 'succeeded', finished.error);
    deepStrictEqual(
      watched.events.events
        .slice(from)
        .filter((event) => event.type === 'triggered')
        .map((event) => event.type === 'triggered' && event.task),
      ['all-bases'],
    );
  });
});
