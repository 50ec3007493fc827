import * as assert from 'node:assert/strict';

import { scheduleGraph, type StepVerdict } from '../../../server/src/engine/run/scheduler';
import { buildTaskGraph } from '../../../server/src/task/graph';
import { parseTask } from '../../../server/src/task/parse';

/** Steps that finish when the test says so, recording what happened in order. */
class Steps {
  readonly log: string[] = [];
  private readonly pending = new Map<string, (verdict: StepVerdict) => void>();
  private readonly waiters = new Map<string, () => void>();
  readonly signals = new Map<string, AbortSignal>();

  execute = (id: string, signal: AbortSignal): Promise<StepVerdict> => {
    this.log.push(`start ${id}`);
    this.signals.set(id, signal);
    this.waiters.get(id)?.();
    return new Promise((resolve) => {
      const finish = (verdict: StepVerdict) => {
        this.log.push(`end ${id}`);
        resolve(verdict);
      };
      this.pending.set(id, finish);
      signal.addEventListener('abort', () => finish('stop'), { once: true });
    });
  };

  /** Resolves once `id` has started. */
  started(id: string): Promise<void> {
    if (this.log.includes(`start ${id}`)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(id, resolve));
  }

  finish(id: string, verdict: StepVerdict = 'continue'): void {
    const finish = this.pending.get(id);
    assert.ok(finish, `${id} is not running`);
    this.pending.delete(id);
    finish(verdict);
  }
}

function graphOf(yaml: string) {
  return buildTaskGraph(parseTask(yaml).task);
}

describe('scheduler (spec §5.2–§5.3)', () => {
  it('edge case 7: parallel roots; a child starts when its own parents are done', async () => {
    const graph = graphOf(
      'steps:\n  - {id: a, cmd: slow}\n  - {id: b, cmd: fast, when: ["-"]}\n  - {id: c, cmd: fast}\n  - {id: d, cmd: x, when: [a, c]}\n',
    );
    const steps = new Steps();
    const done = scheduleGraph(graph, steps.execute, new AbortController().signal);
    assert.deepEqual(steps.log, ['start a', 'start b']);
    steps.finish('b');
    await steps.started('c');
    assert.deepEqual(steps.log, ['start a', 'start b', 'end b', 'start c']);
    steps.finish('c');
    steps.finish('a');
    await steps.started('d');
    steps.finish('d');
    assert.deepEqual(await done, { started: ['a', 'b', 'c', 'd'] });
    assert.deepEqual(steps.log, ['start a', 'start b', 'end b', 'start c', 'end c', 'end a', 'start d', 'end d']);
  });

  it('edge case 10: an ignored failure continues; a real failure cancels running steps and starts nothing more', async () => {
    const graph = graphOf(
      [
        'steps:',
        '  - {id: a, cmd: "alpine false", ignoreErrors: true}',
        '  - {id: b, cmd: alpine true}',
        '  - {id: c, cmd: alpine sleep 60, when: ["-"]}',
        '  - {id: d, cmd: alpine false, when: [b]}',
        '  - {id: e, cmd: alpine true, when: [d]}',
      ].join('\n'),
    );
    const steps = new Steps();
    const done = scheduleGraph(graph, steps.execute, new AbortController().signal);
    steps.finish('a', 'continue'); // failed, but ignoreErrors: the step runner says continue
    await steps.started('b');
    steps.finish('b');
    await steps.started('d');
    steps.finish('d', 'stop');
    const result = await done;
    assert.deepEqual(result, { started: ['a', 'c', 'b', 'd'], failedStep: 'd' });
    assert.equal(steps.signals.get('c')?.aborted, true);
    assert.ok(!steps.log.includes('start e'));
  });

  it('cancelling from outside aborts running steps and starts no children', async () => {
    const graph = graphOf('steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: y}\n');
    const steps = new Steps();
    const controller = new AbortController();
    const done = scheduleGraph(graph, steps.execute, controller.signal);
    controller.abort();
    assert.deepEqual(await done, { started: ['a'], failedStep: 'a' });
    assert.deepEqual(steps.log, ['start a', 'end a']);
  });

  it('a step whose execution rejects stops the run', async () => {
    const graph = graphOf('steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: y}\n');
    const result = await scheduleGraph(graph, () => Promise.reject(new Error('boom')), new AbortController().signal);
    assert.deepEqual(result, { started: ['a'], failedStep: 'a' });
  });

  it('an empty task finishes at once', async () => {
    assert.deepEqual(
      await scheduleGraph(graphOf('steps: []\n'), () => Promise.resolve('continue'), new AbortController().signal),
      { started: [] },
    );
  });
});
