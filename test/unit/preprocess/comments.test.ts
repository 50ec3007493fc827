import { deepStrictEqual, strictEqual } from 'node:assert';
import { blankCommentLines, stripCommentLines } from '../../../server/src/task/preprocess';

describe('stripCommentLines (spec §1.1)', () => {
  const cases: { name: string; input: string; text: string; sourceLineOf: number[] }[] = [
    { name: 'empty text', input: '', text: '', sourceLineOf: [0] },
    { name: 'comment-only file', input: '# a\n  # b', text: '', sourceLineOf: [] },
    {
      name: 'whole-line comments only; trailing comments stay for YAML',
      input: '# head\nversion: v1.1.0 # tail\n  # indented\nsteps:\n',
      text: 'version: v1.1.0 # tail\nsteps:\n',
      sourceLineOf: [1, 3, 4],
    },
    {
      // Edge case 35: even inside a block scalar.
      name: 'comment lines inside a block scalar vanish',
      input: "steps:\n  - cmd: |\n      bash -c 'echo one\n      # kept for bash?\n      echo two'\n",
      text: "steps:\n  - cmd: |\n      bash -c 'echo one\n      echo two'\n",
      sourceLineOf: [0, 1, 2, 4, 5],
    },
    {
      name: 'CRLF lines keep their \\r',
      input: 'a: 1\r\n# c\r\nb: 2\r\n',
      text: 'a: 1\r\nb: 2\r\n',
      sourceLineOf: [0, 2, 3],
    },
    // Go's TrimSpace: NEL (U+0085), NBSP, vertical tab and ideographic space are whitespace…
    { name: 'Go whitespace before #', input: '\u0085\u00a0\v\u3000# x\nk: v', text: 'k: v', sourceLineOf: [1] },
    // …but the BOM is not (JavaScript's trim would strip it).
    { name: 'a BOM is not whitespace', input: '\ufeff# x\nk: v', text: '\ufeff# x\nk: v', sourceLineOf: [0, 1] },
    { name: 'a # later in the line is content', input: 'cmd: a#b\n-#x', text: 'cmd: a#b\n-#x', sourceLineOf: [0, 1] },
  ];
  for (const { name, input, text, sourceLineOf } of cases) {
    it(name, () => deepStrictEqual(stripCommentLines(input), { text, sourceLineOf }));
  }
});

describe('blankCommentLines', () => {
  const cases: { name: string; input: string; expected: string }[] = [
    { name: 'blanks comment lines to spaces', input: '# ab\nk: v\n  #x\n', expected: '    \nk: v\n    \n' },
    { name: 'keeps \\r of CRLF', input: '#a\r\nk: v\r\n', expected: '  \r\nk: v\r\n' },
    { name: 'surrogate pairs keep their length', input: '# 😎\nk', expected: '    \nk' },
    { name: 'last line without newline', input: 'k: v\n # end', expected: 'k: v\n      ' },
    { name: 'no comments: unchanged', input: 'a: 1 # c\n', expected: 'a: 1 # c\n' },
  ];
  for (const { name, input, expected } of cases) {
    it(name, () => {
      const blanked = blankCommentLines(input);
      strictEqual(blanked, expected);
      strictEqual(blanked.length, input.length);
    });
  }
});
