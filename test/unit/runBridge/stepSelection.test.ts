import { strict as assert } from 'node:assert';
import { selectSteps } from '../../../server/src/engine/run/stepSelection';
import type { TaskGraph } from '../../../server/src/task/graph';
import { ROOT_STEP_ID } from '../../../server/src/task/model';

/**
 * The graph of
 *   a ─┬─ b ── d
 *      └─ c ──┘      e (root)
 */
function graph(): TaskGraph {
  const parents = new Map<string, string[]>([
    ['a', [ROOT_STEP_ID]],
    ['b', ['a']],
    ['c', ['a']],
    ['d', ['b', 'c']],
    ['e', [ROOT_STEP_ID]],
  ]);
  const children = new Map<string, string[]>([
    [ROOT_STEP_ID, ['a', 'e']],
    ['a', ['b', 'c']],
    ['b', ['d']],
    ['c', ['d']],
    ['d', []],
    ['e', []],
  ]);
  return { parents, children, levels: [['a', 'e'], ['b', 'c'], ['d']] };
}

function plain(selected: TaskGraph): {
  parents: [string, string[]][];
  children: [string, string[]][];
  levels: string[][];
} {
  return { parents: [...selected.parents], children: [...selected.children], levels: selected.levels };
}

describe('step selection (Run Step, Run to Here)', () => {
  const cases: { name: string; selection: Parameters<typeof selectSteps>[1]; expected: ReturnType<typeof plain> }[] = [
    {
      name: 'up to a join keeps every ancestor with its edges',
      selection: { mode: 'upTo', stepId: 'd' },
      expected: {
        parents: [
          ['a', [ROOT_STEP_ID]],
          ['b', ['a']],
          ['c', ['a']],
          ['d', ['b', 'c']],
        ],
        children: [
          [ROOT_STEP_ID, ['a']],
          ['a', ['b', 'c']],
          ['b', ['d']],
          ['c', ['d']],
          ['d', []],
        ],
        levels: [['a'], ['b', 'c'], ['d']],
      },
    },
    {
      name: 'up to a branch leaves the other branch out',
      selection: { mode: 'upTo', stepId: 'c' },
      expected: {
        parents: [
          ['a', [ROOT_STEP_ID]],
          ['c', ['a']],
        ],
        children: [
          [ROOT_STEP_ID, ['a']],
          ['a', ['c']],
          ['c', []],
        ],
        levels: [['a'], ['c']],
      },
    },
    {
      name: 'one step alone becomes a root',
      selection: { mode: 'only', stepId: 'd' },
      expected: {
        parents: [['d', [ROOT_STEP_ID]]],
        children: [
          [ROOT_STEP_ID, ['d']],
          ['d', []],
        ],
        levels: [['d']],
      },
    },
    {
      name: 'a root up to itself',
      selection: { mode: 'upTo', stepId: 'e' },
      expected: {
        parents: [['e', [ROOT_STEP_ID]]],
        children: [
          [ROOT_STEP_ID, ['e']],
          ['e', []],
        ],
        levels: [['e']],
      },
    },
  ];
  for (const { name, selection, expected } of cases) {
    it(name, () => assert.deepEqual(plain(selectSteps(graph(), selection)), expected));
  }

  it('names a step that is not in the task', () => {
    assert.throws(() => selectSteps(graph(), { mode: 'only', stepId: 'zz' }), /the task has no step "zz"/);
  });
});
