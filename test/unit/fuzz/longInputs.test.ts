import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { ServiceUnderTest } from '../../fuzz/exerciseService';
import type { FuzzCase } from '../../fuzz/mutate';

/**
 * The shapes of "very long" input the fuzzer can only touch lightly (it caps repeats at ~4,000
 * characters to stay fast): ~20 kB lines and deep nesting, each through every feature. Work that is
 * linear in the input takes milliseconds here; a quadratic pass takes seconds, and freezes the editor
 * for as long when someone pastes such a line.
 */
const BUDGET_MS = 1000;

const PROBES: FuzzCase = {
  seed: 0,
  mutations: [],
  // Near the start and in the middle of the long part.
  probes: [
    { offset: 12, outOfRange: false },
    { offset: 10_000, outOfRange: false },
  ],
  set: [],
};

const SHAPES: { name: string; text: string }[] = [
  {
    name: '2,000 template actions on one line',
    text: `steps:\n  - cmd: alpine echo ${'{{ .Run.ID }}'.repeat(2000)}\n`,
  },
  { name: '800 control actions on one line', text: `steps:\n  - cmd: alpine echo ${'{{ if . }}'.repeat(800)}\n` },
  { name: 'a 20,000-character key', text: `steps:\n  - cmd: x\n    ${'x'.repeat(20_000)}: 1\n` },
  { name: 'a 20,000-character value', text: `steps:\n  - cmd: alpine ${'x'.repeat(20_000)}\n` },
  { name: 'a 20,000-space run inside a value', text: `steps:\n  - cmd: a${' '.repeat(20_000)}b\n` },
  { name: 'a 20,000-character comment line', text: `# ${'x'.repeat(20_000)}\nsteps:\n  - cmd: x\n` },
  { name: '2,000 nested flow sequences', text: `steps: ${'['.repeat(2000)}${']'.repeat(2000)}\n` },
  { name: '2,000 nested block sequences on one line', text: `steps:\n  ${'- '.repeat(2000)}x\n` },
  {
    name: '5,000 alias references on one line',
    text: `version: v1.1.0\nalias:\n  values:\n    a: b\nsteps:\n  - cmd: bash echo ${'$a '.repeat(5000)}\n`,
  },
  { name: '5,000 unclosed template actions', text: `steps:\n  - cmd: ${'{{ '.repeat(5000)}\n` },
];

describe('language service on very long lines and deep nesting', function () {
  this.timeout(120_000);
  const underTest = new ServiceUnderTest();
  let version = 1;

  for (const shape of SHAPES) {
    it(`${shape.name}: every feature, no failure, within ${BUDGET_MS} ms`, () => {
      const started = performance.now();
      const failures = underTest.exercise('file:///long/acr-task.yaml', version++, shape.text, PROBES);
      const elapsed = performance.now() - started;
      assert.deepEqual(
        failures.map((failure) => `${failure.operation}: ${String(failure.error)}`),
        [],
      );
      assert.ok(elapsed < BUDGET_MS, `took ${elapsed.toFixed(0)} ms (${shape.text.length} characters)`);
    });
  }
});
