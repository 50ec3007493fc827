import { deepStrictEqual, notStrictEqual, ok, strictEqual } from 'node:assert';
import { CrashCollector, formatFailures } from '../../fuzz/crashReport';
import { minimiseText } from '../../fuzz/minimise';
import { type FuzzCase, fuzzCases, type Mutation, mutatedText } from '../../fuzz/mutate';

/** The fuzzers are only as good as their mutations and their crash reports: both checked here. */
describe('fuzz harness', () => {
  describe('minimiseText', () => {
    const cases: { name: string; text: string; fails: (text: string) => boolean; expected: string }[] = [
      {
        name: 'keeps only the line that fails, then only its failing characters',
        text: 'steps:\n  - cmd: x\n  - cmd: {{ boom }}\n  - cmd: y\n',
        fails: (text) => text.includes('{{ boom'),
        expected: '{{ boom',
      },
      {
        name: 'keeps two distant parts that only fail together',
        text: 'a\nb\nc\nd\ne\nf\n',
        fails: (text) => text.includes('b') && text.includes('e'),
        expected: 'be',
      },
      {
        name: 'a predicate that throws counts as "does not fail"',
        text: 'xy',
        fails: (text) => {
          if (text === 'x') throw new Error('predicate bug');
          return text.includes('y');
        },
        expected: 'y',
      },
    ];
    for (const testCase of cases)
      it(testCase.name, () => strictEqual(minimiseText(testCase.text, testCase.fails), testCase.expected));
  });

  describe('mutations', () => {
    const corpus = ['steps:\n  - cmd: a\n  - cmd: b\n', 'version: v1.1.0\n'];
    const only = (mutation: Mutation): FuzzCase => ({ seed: 0, mutations: [mutation], probes: [], set: [] });
    const cases: { mutation: Mutation; expected: string }[] = [
      { mutation: { kind: 'deleteLines', line: 1, count: 1 }, expected: 'steps:\n  - cmd: b\n' },
      {
        mutation: { kind: 'duplicateLines', line: 2, count: 1 },
        expected: 'steps:\n  - cmd: a\n  - cmd: b\n  - cmd: b\n',
      },
      { mutation: { kind: 'moveLine', from: 0, to: 2 }, expected: '  - cmd: a\n  - cmd: b\nsteps:\n' },
      {
        mutation: { kind: 'indent', line: 1, count: 2, delta: -2, useTab: false },
        expected: 'steps:\n- cmd: a\n- cmd: b\n',
      },
      {
        mutation: { kind: 'indent', line: 0, count: 1, delta: 1, useTab: true },
        expected: '\tsteps:\n  - cmd: a\n  - cmd: b\n',
      },
      { mutation: { kind: 'insert', at: 6, text: '{{' }, expected: 'steps:{{\n  - cmd: a\n  - cmd: b\n' },
      { mutation: { kind: 'replaceLine', line: 2, text: '$' }, expected: 'steps:\n  - cmd: a\n$\n' },
      { mutation: { kind: 'repeat', at: 0, unit: '[', times: 3 }, expected: '[[[steps:\n  - cmd: a\n  - cmd: b\n' },
      { mutation: { kind: 'truncate', at: 8 }, expected: 'steps:\n ' },
      {
        mutation: { kind: 'splice', at: 0, donor: 1, from: 0, length: 8 },
        expected: 'version:steps:\n  - cmd: a\n  - cmd: b\n',
      },
      { mutation: { kind: 'flipBit', at: 0, bit: 5 }, expected: 'Steps:\n  - cmd: a\n  - cmd: b\n' },
    ];
    for (const { mutation, expected } of cases)
      it(`${mutation.kind} ${JSON.stringify(mutation)}`, () =>
        strictEqual(mutatedText(only(mutation), corpus), expected));

    it('a long repeat is capped at ~4,000 characters', () => {
      const text = mutatedText(only({ kind: 'repeat', at: 0, unit: '{{ if . }}', times: 4000 }), corpus);
      strictEqual(text.length, 400 * 10 + corpus[0].length);
    });

    it('the same seed gives the same cases, another seed other cases', () => {
      const texts = (seed: number) => [...fuzzCases(seed, 50)].map((fuzzCase) => mutatedText(fuzzCase, corpus));
      deepStrictEqual(texts(7), texts(7));
      notStrictEqual(JSON.stringify(texts(7)), JSON.stringify(texts(8)));
    });
  });

  describe('CrashCollector', () => {
    it('groups failures by operation, error type and innermost frame, and minimises one document per group', () => {
      const collector = new CrashCollector<string>();
      const boom = () => new TypeError('boom');
      collector.add('hover', boom(), 3, 'steps:\n  - cmd: {{ if }}\n', 'context');
      collector.add('hover', boom(), 9, 'other text {{ if }}', 'context');
      collector.add('validate', new RangeError('deep'), 4, 'a', 'context');
      const failures = collector.minimised((candidate, crash) =>
        crash.operation === 'hover' ? candidate.includes('{{ if') : candidate.includes('a'),
      );
      deepStrictEqual(
        failures.map(({ index, operation, occurrences, minimised }) => ({ index, operation, occurrences, minimised })),
        [
          { index: 3, operation: 'hover', occurrences: 2, minimised: '{{ if' },
          { index: 4, operation: 'validate', occurrences: 1, minimised: 'a' },
        ],
      );
      ok(formatFailures(failures).includes('minimised document: "{{ if"'));
    });
  });
});
