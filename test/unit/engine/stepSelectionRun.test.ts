import * as assert from 'node:assert/strict';
import { FakeRuntime } from './fakeRuntime';
import { run } from './runHarness';

// a ── b ── c
//      └─── d
const TASK = `steps:
  - {id: a, cmd: fake echo a}
  - {id: b, cmd: fake echo b}
  - {id: c, cmd: fake echo c}
  - {id: d, cmd: fake echo d, when: [b]}
`;

describe('running part of a task (Run Step, Run to Here)', () => {
  it('"upTo" runs the step and everything it waits for, nothing else', async () => {
    const { result, leftovers } = await run(new FakeRuntime(), TASK, { steps: { mode: 'upTo', stepId: 'c' } });
    assert.deepEqual(
      [result.status, result.steps.map((step) => [step.id, step.status])],
      [
        'succeeded',
        [
          ['a', 'succeeded'],
          ['b', 'succeeded'],
          ['c', 'succeeded'],
        ],
      ],
    );
    assert.deepEqual(leftovers, { containers: [], networks: [], volumes: [] });
  });

  it('"only" runs the one step as a root', async () => {
    const { result } = await run(new FakeRuntime(), TASK, { steps: { mode: 'only', stepId: 'd' } });
    assert.deepEqual(
      [result.status, result.steps.map((step) => [step.id, step.status])],
      ['succeeded', [['d', 'succeeded']]],
    );
  });

  it('fails clearly, creating nothing, for a step the task does not have', async () => {
    const runtime = new FakeRuntime();
    const { result } = await run(runtime, TASK, { steps: { mode: 'only', stepId: 'nope' } });
    assert.equal(result.status, 'failed');
    assert.match(result.error ?? '', /has no step 'nope'/);
    assert.deepEqual(runtime.ops('createVolume'), []);
  });
});
