import { deepStrictEqual } from 'node:assert';
import { separateAliasBlock, type SeparatedAliasBlock } from '../../../server/src/task/preprocess';

describe('separateAliasBlock (spec §7.3)', () => {
  const cases: { name: string; input: string; expected: SeparatedAliasBlock }[] = [
    {
      name: 'no block: rest is rebuilt line by line with a final newline',
      input: 'version: v1.1.0\nsteps: []',
      expected: {
        block: undefined,
        rest: 'version: v1.1.0\nsteps: []\n',
        blockLineRanges: [],
        restLineOf: [0, 1],
        blockLineOf: [],
      },
    },
    {
      name: 'block in the middle ends at the next top-level key',
      input: 'version: v1.1.0\nalias:\n  values:\n    repo: myrepo\n\nsteps:\n  - cmd: $repo\n',
      expected: {
        block: 'alias:\n  values:\n    repo: myrepo\n\n',
        rest: 'version: v1.1.0\nsteps:\n  - cmd: $repo\n',
        blockLines: { start: 1, end: 5 },
        blockLineRanges: [{ start: 1, end: 5 }],
        restLineOf: [0, 5, 6],
        blockLineOf: [1, 2, 3, 4],
      },
    },
    {
      name: 'block last in the file',
      input: 'version: v1.1.0\nsteps:\n  - cmd: bash echo $a\nalias:\n  values: {a: b}',
      expected: {
        block: 'alias:\n  values: {a: b}\n',
        rest: 'version: v1.1.0\nsteps:\n  - cmd: bash echo $a\n',
        blockLines: { start: 3, end: 5 },
        blockLineRanges: [{ start: 3, end: 5 }],
        restLineOf: [0, 1, 2],
        blockLineOf: [3, 4],
      },
    },
    {
      name: 'first in the file, spaces before the colon, CRLF',
      input: 'alias  :\r\n  directive: "&"\r\nversion: v1.1.0\r\n',
      expected: {
        block: 'alias  :\n  directive: "&"\n',
        rest: 'version: v1.1.0\n',
        blockLines: { start: 0, end: 2 },
        blockLineRanges: [{ start: 0, end: 2 }],
        restLineOf: [2],
        blockLineOf: [0, 1],
      },
    },
    {
      name: 'column-0 template lines without a colon are swallowed into the block',
      input: 'alias:\n  values:\n{{ if .Values.x }}\n    a: b\n{{ end }}\nsteps: []\n',
      expected: {
        block: 'alias:\n  values:\n{{ if .Values.x }}\n    a: b\n{{ end }}\n',
        rest: 'steps: []\n',
        blockLines: { start: 0, end: 5 },
        blockLineRanges: [{ start: 0, end: 5 }],
        restLineOf: [5],
        blockLineOf: [0, 1, 2, 3, 4],
      },
    },
    {
      name: 'a list item at column 0 with a colon ends the block',
      input: 'alias:\n  values:\n    a: b\n- cmd: x\n',
      expected: {
        block: 'alias:\n  values:\n    a: b\n',
        rest: '- cmd: x\n',
        blockLines: { start: 0, end: 3 },
        blockLineRanges: [{ start: 0, end: 3 }],
        restLineOf: [3],
        blockLineOf: [0, 1, 2],
      },
    },
    {
      name: 'comment lines are dropped without splitting the block',
      input: 'alias:\n# note\n  values:\n    a: b\n  # more\nsteps: []\n',
      expected: {
        block: 'alias:\n  values:\n    a: b\n',
        rest: 'steps: []\n',
        blockLines: { start: 0, end: 4 },
        blockLineRanges: [{ start: 0, end: 4 }],
        restLineOf: [5],
        blockLineOf: [0, 2, 3],
      },
    },
    {
      name: '`aliases:` and indented `alias:` are not blocks',
      input: 'aliases:\n  x: 1\nsteps:\n  - alias: 1\n',
      expected: {
        block: undefined,
        rest: 'aliases:\n  x: 1\nsteps:\n  - alias: 1\n',
        blockLineRanges: [],
        restLineOf: [0, 1, 2, 3],
        blockLineOf: [],
      },
    },
    {
      name: 'a second alias: right after the block closes it and stays in the rest',
      input: 'alias:\n  values: {a: b}\nalias:\n  values: {c: d}\n',
      expected: {
        block: 'alias:\n  values: {a: b}\n',
        rest: 'alias:\n  values: {c: d}\n',
        blockLines: { start: 0, end: 2 },
        blockLineRanges: [{ start: 0, end: 2 }],
        restLineOf: [2, 3],
        blockLineOf: [0, 1],
      },
    },
    {
      name: 'two separate blocks are concatenated',
      input: 'alias:\n  values: {a: b}\nsteps: []\nalias:\n  directive: "&"\n',
      expected: {
        block: 'alias:\n  values: {a: b}\nalias:\n  directive: "&"\n',
        rest: 'steps: []\n',
        blockLines: { start: 0, end: 2 },
        blockLineRanges: [
          { start: 0, end: 2 },
          { start: 3, end: 5 },
        ],
        restLineOf: [2],
        blockLineOf: [0, 1, 3, 4],
      },
    },
    {
      name: 'a key after a tab-indented line still ends the block; \\v is not whitespace to Go',
      input: 'alias:\n\tx\n\vkey: 1\n',
      expected: {
        block: 'alias:\n\tx\n',
        rest: '\vkey: 1\n',
        blockLines: { start: 0, end: 2 },
        blockLineRanges: [{ start: 0, end: 2 }],
        restLineOf: [2],
        blockLineOf: [0, 1],
      },
    },
  ];
  for (const { name, input, expected } of cases) {
    it(name, () => deepStrictEqual(separateAliasBlock(input), expected));
  }
});
