/**
 * Base-image trigger decisions (spec §10.2): armed only after a run, Runtime vs All, engine-only images
 * by image id, cascades that carry their chain, and loops that stop after one round.
 */
import { deepStrictEqual, strictEqual } from 'node:assert';

import type { DependencyRecord } from '../../../server/src/task/dependencyScan';
import {
  acknowledge,
  baseImageStateFromHistory,
  decideBaseImageTriggers,
  imageKey,
  producedImagesOf,
  referencesToProbe,
  type Observation,
  type TaskBaseImageState,
  type TaskRunHistoryItem,
} from '../../../server/src/task/triggers/baseImageTriggers';
import type { ImageIdentity } from '../../../server/src/task/triggers/triggerCause';

const REG = '127.0.0.1:5000';

function ref(reference: string, digest = '') {
  const [name = '', tag] = reference.split(/:(?=[^:/]+$)/);
  const slash = name.indexOf('/');
  return { registry: name.slice(0, slash), repository: name.slice(slash + 1), tag, digest, reference };
}

function record(
  image: string | null,
  runtime: [string, string],
  buildtime: [string, string][] = [],
  imageDigest = '',
): DependencyRecord {
  return {
    image: image === null ? null : ref(image, imageDigest),
    'runtime-dependency': ref(...runtime),
    'buildtime-dependency': buildtime.length === 0 ? null : buildtime.map((entry) => ref(...entry)),
  };
}

function run(
  runId: string,
  status: string,
  dependencies: DependencyRecord[],
  extra: Partial<TaskRunHistoryItem> = {},
): TaskRunHistoryItem {
  return { runId, status, startedAt: '2024-01-01T00:00:00Z', dependencies, ...extra };
}

const registry = (value: string): ImageIdentity => ({ source: 'registry', value });
const engine = (value: string): ImageIdentity => ({ source: 'engine', value });

/** Observations by "source reference". */
function world(entries: Record<string, Observation>) {
  return (reference: string, source: ImageIdentity['source']) => entries[`${source} ${reference}`];
}

const APP = run('r1', 'succeeded', [
  record(`${REG}/app:1`, [`${REG}/base:latest`, 'sha256:b1'], [[`${REG}/builder:1`, 'sha256:c1']]),
]);

describe('base-image triggers: decisions (§10.2)', () => {
  it('a task that never ran (or only failed) is not armed', () => {
    const state = baseImageStateFromHistory('app', { enabled: true, type: 'Runtime' }, [run('r0', 'failed', [])]);
    deepStrictEqual(state, { task: 'app', enabled: true, type: 'Runtime', bases: [], untracked: [] });
    deepStrictEqual(referencesToProbe([state]), []);
  });

  it('tracks the runtime base of the newest successful run; All also the build-time ones', () => {
    const runtimeOnly = baseImageStateFromHistory('app', { enabled: true, type: 'Runtime' }, [APP]);
    const all = baseImageStateFromHistory('app', { enabled: true, type: 'All' }, [APP]);
    deepStrictEqual(referencesToProbe([runtimeOnly]), [{ reference: `${REG}/base:latest`, source: 'registry' }]);
    deepStrictEqual(referencesToProbe([all]), [
      { reference: `${REG}/base:latest`, source: 'registry' },
      { reference: `${REG}/builder:1`, source: 'registry' },
    ]);
    strictEqual(all.fromRunId, 'r1');
  });

  it('engine-only bases are tracked by image id; digests pins and scratch are not tracked', () => {
    const state = baseImageStateFromHistory('app', { enabled: true, type: 'All' }, [
      run(
        'r1',
        'succeeded',
        [
          record(
            null,
            ['acrtest/busybox:1', ''],
            [
              ['scratch', ''],
              [`${REG}/x@sha256:aa`, 'sha256:aa'],
            ],
          ),
        ],
        {
          imageIds: { 'acrtest/busybox:1': 'sha256:e1' },
        },
      ),
    ]);
    deepStrictEqual(state.bases, [
      { reference: 'acrtest/busybox:1', dependency: 'runtime', identity: engine('sha256:e1') },
    ]);
    deepStrictEqual(state.untracked, ['scratch', `${REG}/x@sha256:aa`]);
  });

  const decisions: [string, 'Runtime' | 'All', Record<string, Observation>, string[]][] = [
    ['nothing changed', 'Runtime', { [`registry ${REG}/base:latest`]: { identity: registry('sha256:b1') } }, []],
    [
      'the runtime base changed',
      'Runtime',
      { [`registry ${REG}/base:latest`]: { identity: registry('sha256:b2') } },
      ['app'],
    ],
    [
      'only a build-time base changed (Runtime)',
      'Runtime',
      {
        [`registry ${REG}/base:latest`]: { identity: registry('sha256:b1') },
        [`registry ${REG}/builder:1`]: { identity: registry('sha256:c2') },
      },
      [],
    ],
    [
      'only a build-time base changed (All)',
      'All',
      {
        [`registry ${REG}/base:latest`]: { identity: registry('sha256:b1') },
        [`registry ${REG}/builder:1`]: { identity: registry('sha256:c2') },
      },
      ['app'],
    ],
    [
      'the registry does not answer',
      'Runtime',
      { [`registry ${REG}/base:latest`]: { error: 'connection refused' } },
      [],
    ],
  ];
  for (const [name, type, observations, expected] of decisions) {
    it(`${name} → ${expected.length === 0 ? 'no run' : expected.join(', ')}`, () => {
      const state = baseImageStateFromHistory('app', { enabled: true, type }, [APP]);
      deepStrictEqual(
        decideBaseImageTriggers([state], world(observations), []).triggers.map((decision) => decision.task),
        expected,
      );
    });
  }

  it('records the old and new digest of a change', () => {
    const state = baseImageStateFromHistory('app', { enabled: true, type: 'Runtime' }, [APP]);
    const result = decideBaseImageTriggers(
      [state],
      world({ [`registry ${REG}/base:latest`]: { identity: registry('sha256:b2') } }),
      [],
    );
    deepStrictEqual(result.triggers, [
      {
        task: 'app',
        cause: {
          kind: 'baseImage',
          changes: [
            {
              reference: `${REG}/base:latest`,
              dependency: 'runtime',
              old: registry('sha256:b1'),
              new: registry('sha256:b2'),
            },
          ],
          chain: [],
        },
      },
    ]);
  });

  it('a disabled trigger never runs', () => {
    const state = baseImageStateFromHistory('app', { enabled: false, type: 'Runtime' }, [APP]);
    deepStrictEqual(
      decideBaseImageTriggers(
        [state],
        world({ [`registry ${REG}/base:latest`]: { identity: registry('sha256:b2') } }),
        [],
      ).triggers,
      [],
    );
  });

  it('after acknowledging a change (or a failed triggered run in the history) the same change runs nothing', () => {
    const change = {
      reference: `${REG}/base:latest`,
      dependency: 'runtime' as const,
      old: registry('sha256:b1'),
      new: registry('sha256:b2'),
    };
    const failed = run('r2', 'failed', [], { cause: { kind: 'baseImage', changes: [change], chain: [] } });
    const state = baseImageStateFromHistory('app', { enabled: true, type: 'Runtime' }, [failed, APP]);
    const observe = world({ [`registry ${REG}/base:latest`]: { identity: registry('sha256:b2') } });
    deepStrictEqual(decideBaseImageTriggers([state], observe, []).triggers, []);
    const fresh = baseImageStateFromHistory('app', { enabled: true, type: 'Runtime' }, [APP]);
    acknowledge(fresh, [change]);
    deepStrictEqual(decideBaseImageTriggers([fresh], observe, []).triggers, []);
  });

  describe('cascades', () => {
    // base ← mid ← app: `mid` is built FROM base and pushes mid; `app` is built FROM mid.
    const mid = run('m1', 'succeeded', [
      record(`${REG}/mid:latest`, [`${REG}/base:latest`, 'sha256:b1'], [], 'sha256:m1'),
    ]);
    const app = run('a1', 'succeeded', [
      record(`${REG}/app:latest`, [`${REG}/mid:latest`, 'sha256:m1'], [], 'sha256:a1'),
    ]);
    const states = (): TaskBaseImageState[] => [
      baseImageStateFromHistory('mid', { enabled: true, type: 'Runtime' }, [mid]),
      baseImageStateFromHistory('app', { enabled: true, type: 'Runtime' }, [app]),
    ];

    it('a base push runs the first level; its push runs the second level with the chain and cause', () => {
      const all = states();
      const first = decideBaseImageTriggers(
        all,
        world({
          [`registry ${REG}/base:latest`]: { identity: registry('sha256:b2') },
          [`registry ${REG}/mid:latest`]: { identity: registry('sha256:m1') },
        }),
        [],
      );
      deepStrictEqual(
        first.triggers.map((decision) => [decision.task, decision.cause.chain]),
        [['mid', []]],
      );
      for (const decision of first.triggers) {
        const state = all.find((candidate) => candidate.task === decision.task);
        if (state) acknowledge(state, decision.cause.changes);
      }
      // mid's triggered run pushed mid:latest as sha256:m2.
      const produced = producedImagesOf(
        'mid',
        run('m2', 'succeeded', [record(`${REG}/mid:latest`, [`${REG}/base:latest`, 'sha256:b2'], [], 'sha256:m2')]),
        [],
      );
      const second = decideBaseImageTriggers(
        all,
        world({
          [`registry ${REG}/base:latest`]: { identity: registry('sha256:b2') },
          [`registry ${REG}/mid:latest`]: { identity: registry('sha256:m2') },
        }),
        produced,
      );
      deepStrictEqual(second.triggers, [
        {
          task: 'app',
          cause: {
            kind: 'baseImage',
            changes: [
              {
                reference: `${REG}/mid:latest`,
                dependency: 'runtime',
                old: registry('sha256:m1'),
                new: registry('sha256:m2'),
              },
            ],
            chain: ['mid'],
            causedBy: { task: 'mid', runId: 'm2' },
          },
        },
      ]);
    });

    it('a task whose run rebuilt its own base is not run again (loop stopped)', () => {
      const self = run('s1', 'succeeded', [
        record(`${REG}/self:latest`, [`${REG}/self:latest`, 'sha256:s1'], [], 'sha256:s2'),
      ]);
      const state = baseImageStateFromHistory('self', { enabled: true, type: 'Runtime' }, [self]);
      const result = decideBaseImageTriggers(
        [state],
        world({ [`registry ${REG}/self:latest`]: { identity: registry('sha256:s2') } }),
        producedImagesOf('self', self, []),
      );
      deepStrictEqual(result.triggers, []);
      deepStrictEqual(
        result.loopsStopped.map((stopped) => [stopped.task, stopped.chain]),
        [['self', ['self']]],
      );
    });

    it('A → B → A stops when the change comes back to A', () => {
      // B's run (triggered by A, chain [a]) pushed b:latest, which A is built on.
      const a = run('a1', 'succeeded', [record(`${REG}/a:latest`, [`${REG}/b:latest`, 'sha256:b1'], [], 'sha256:a1')]);
      const state = baseImageStateFromHistory('a', { enabled: true, type: 'Runtime' }, [a]);
      const produced = producedImagesOf(
        'b',
        run('b2', 'succeeded', [record(`${REG}/b:latest`, [`${REG}/a:latest`, 'sha256:a1'], [], 'sha256:b2')]),
        ['a'],
      );
      const result = decideBaseImageTriggers(
        [state],
        world({ [`registry ${REG}/b:latest`]: { identity: registry('sha256:b2') } }),
        produced,
      );
      deepStrictEqual(result.triggers, []);
      deepStrictEqual(
        result.loopsStopped.map((stopped) => stopped.chain),
        [['a', 'b']],
      );
    });

    it('recognises engine-only products by image id', () => {
      const produced = producedImagesOf(
        'mid',
        run('m2', 'succeeded', [record('local/mid:1', ['acrtest/busybox:1', ''])], {
          imageIds: { 'local/mid:1': 'sha256:e9' },
        }),
        [],
      );
      deepStrictEqual(produced, [
        { reference: 'local/mid:1', identities: [engine('sha256:e9')], task: 'mid', runId: 'm2', chain: [] },
      ]);
    });
  });

  it('compares references as acb records them', () => {
    strictEqual(imageKey('busybox'), imageKey('library/busybox:latest'));
    strictEqual(imageKey(`${REG}/base`), imageKey(`${REG}/base:latest`));
  });
});
