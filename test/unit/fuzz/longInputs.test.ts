import { strict as assert } from 'node:assert';
import { type ChildRunResult, runEachInFreshChild } from '../../fuzz/childRunner';
import { formatFailures } from '../../fuzz/crashReport';
import { HANG_MS } from '../../fuzz/settings';

/**
 * The shapes of "very long" input the fuzzer can only touch lightly (it caps repeats at ~4,000
 * characters to stay fast): ~100 kB lines and deep nesting, each through every feature. Work that is
 * linear in the input takes milliseconds here; a quadratic pass takes seconds, and freezes the editor
 * for as long when someone pastes such a line. Deep nesting checks the process survives: `yaml`
 * composes nodes recursively, and V8 (Node 20) aborts the whole process instead of throwing when it
 * compiles a regular expression that close to the stack limit — so nesting needs a bound before
 * the parse, not a try/catch around it.
 */
/*
 * No time budget per shape (speed is the benchmarks' business, and a timed assertion fails on a busy
 * machine): a quadratic pass is still caught, as a hang. The quadratic passes this test has caught took
 * 2-4 s at a fifth of these sizes, so at these sizes they run far past HANG_MS.
 */
const SHAPES: { name: string; text: string }[] = [
  {
    name: '5,000 template actions on one line',
    text: `steps:\n  - cmd: alpine echo ${'{{ .Run.ID }}'.repeat(5000)}\n`,
  },
  {
    name: '1,500 if/end pairs on one line',
    text: `steps:\n  - cmd: alpine echo ${'{{ if . }}x{{ end }}'.repeat(1500)}\n`,
  },
  { name: '3,000 nested template ifs', text: `steps:\n  - cmd: alpine echo ${'{{ if . }}'.repeat(3000)}\n` },
  { name: 'a 100,000-character key', text: `steps:\n  - cmd: x\n    ${'x'.repeat(100_000)}: 1\n` },
  { name: 'a 100,000-character value', text: `steps:\n  - cmd: alpine ${'x'.repeat(100_000)}\n` },
  { name: 'a 100,000-space run inside a value', text: `steps:\n  - cmd: a${' '.repeat(100_000)}b\n` },
  { name: 'a 100,000-character comment line', text: `# ${'x'.repeat(100_000)}\nsteps:\n  - cmd: x\n` },
  { name: '4,000 nested flow sequences', text: `steps: ${'['.repeat(4000)}${']'.repeat(4000)}\n` },
  { name: '4,000 nested block sequences on one line', text: `steps:\n  ${'- '.repeat(4000)}x\n` },
  { name: '4,000 nested flow mappings', text: `steps: ${'{a: '.repeat(4000)}x${'}'.repeat(4000)}\n` },
  { name: '8,000 nested flow sequences', text: `steps: ${'['.repeat(8000)}${']'.repeat(8000)}\n` },
  { name: '8,000 nested block sequences on one line', text: `steps:\n  ${'- '.repeat(8000)}x\n` },
  {
    name: '20,000 alias references on one line',
    text: `version: v1.1.0\nalias:\n  values:\n    a: b\nsteps:\n  - cmd: bash echo ${'$a '.repeat(20_000)}\n`,
  },
  { name: '20,000 unclosed template actions', text: `steps:\n  - cmd: ${'{{ '.repeat(20_000)}\n` },
];

describe('language service on very long lines and deep nesting', function () {
  this.timeout(300_000);
  let result: ChildRunResult;

  before(async () => {
    // Each in its own child process: some of these shapes can abort the process (see workerProtocol.ts).
    result = await runEachInFreshChild(
      SHAPES.map((shape) => shape.text),
      HANG_MS,
    );
  });

  after(() => {
    const times = SHAPES.map((shape, index) => `${shape.name} ${result.durations.get(index)?.toFixed(0) ?? '-'} ms`);
    console.log(`      long inputs: ${times.join('; ')}`);
  });

  SHAPES.forEach((shape, index) => {
    it(`${shape.name}: every feature, no failure, no hang`, () => {
      assert.deepEqual(
        result.fatal.filter((entry) => entry.index === index).map((entry) => entry.reason),
        [],
        'the process ended or hung',
      );
      const failures = result.failures.filter((failure) => failure.index === index);
      assert.equal(failures.length, 0, formatFailures(failures));
    });
  });
});
