import { deepStrictEqual, strictEqual } from 'node:assert';
import { aliasModeEnabled, sniffVersion } from '../../../server/src/task/preprocess';

describe('sniffVersion (spec §1.2)', () => {
  const cases: {
    name: string;
    input: string;
    expected: { value: string; span: { start: number; end: number } } | undefined;
  }[] = [
    { name: 'plain', input: 'version: v1.1.0\n', expected: { value: 'v1.1.0', span: { start: 9, end: 15 } } },
    { name: 'no version', input: 'steps: []\n', expected: undefined },
    { name: 'empty text', input: '', expected: undefined },
    {
      name: 'after comments and blank lines',
      input: ' # task\n\n   \nversion  : v1.1.0    \n',
      expected: { value: 'v1.1.0', span: { start: 24, end: 30 } },
    },
    { name: 'quoted value', input: 'version: "v1.1.0"', expected: { value: 'v1.1.0', span: { start: 10, end: 16 } } },
    {
      name: 'single-quoted value',
      input: "version: 'v1.0.0'",
      expected: { value: 'v1.0.0', span: { start: 10, end: 16 } },
    },
    { name: 'quoted key', input: '"version": v1.1.0', expected: { value: 'v1.1.0', span: { start: 11, end: 17 } } },
    { name: 'indented: not detected', input: '  version: v1.1.0\n', expected: undefined },
    { name: 'inside a map: not detected', input: 'x:\n  version: v1.1.0\n', expected: undefined },
    // Edge case 14: a column-0 version after the steps still counts.
    {
      name: 'after steps',
      input: 'steps:\n  - cmd: bash echo $ID\nversion: v1.1.0',
      expected: { value: 'v1.1.0', span: { start: 39, end: 45 } },
    },
    {
      name: 'first one wins',
      input: 'version: v1.0.0\nversion: v1.1.0\n',
      expected: { value: 'v1.0.0', span: { start: 9, end: 15 } },
    },
    {
      name: 'key must be exactly version',
      input: 'versionOfTask: v1.1.0\nversion:v2',
      expected: { value: 'v2', span: { start: 30, end: 32 } },
    },
    { name: 'no colon', input: 'version\n', expected: undefined },
    {
      name: 'value keeps later colons',
      input: 'version:foo:bar:beta',
      expected: { value: 'foo:bar:beta', span: { start: 8, end: 20 } },
    },
    { name: 'empty value', input: 'version:\n', expected: { value: '', span: { start: 8, end: 8 } } },
    {
      name: 'templated value',
      input: 'version: {{.Values.v}}\n',
      expected: { value: '{{.Values.v}}', span: { start: 9, end: 22 } },
    },
    { name: 'CRLF', input: 'version: v1.1.0\r\n', expected: { value: 'v1.1.0', span: { start: 9, end: 15 } } },
    { name: 'comment line that looks like a version', input: '#version: v1.1.0\n', expected: undefined },
  ];
  for (const { name, input, expected } of cases) {
    it(name, () => deepStrictEqual(sniffVersion(input), expected));
  }
});

describe('aliasModeEnabled (spec §1.3, byte-wise >= "v1.1.0")', () => {
  const cases: [string | undefined, boolean][] = [
    ['v1.1.0', true],
    ['v2.0.0', true],
    ['v9', true],
    ['{{.Values.v}}', true],
    ['{', true],
    ['v1.1.0-beta', true],
    ['V1.1.0', false],
    ['v1.0.0', false],
    ['1.0-preview-1', false],
    ['v1.0.9', false],
    ['v1.1', false],
    ['', false],
    [undefined, false],
    ['é', true],
  ];
  for (const [version, expected] of cases) {
    it(`${String(version)} → ${expected}`, () => strictEqual(aliasModeEnabled(version), expected));
  }
});
