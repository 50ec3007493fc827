/**
 * Re-analysis after a one-line edit reuses the previous template analysis only when the edit provably
 * leaves it as it was — and then the result is exactly that of a fresh analysis of the new text.
 */
import { strict as assert } from 'node:assert';
import { analyzeSource } from '../../../server/src/task/analyze';
import { blankCommentLines } from '../../../server/src/task/preprocess';
import { analyzeTemplate } from '../../../server/src/task/template';
import { changeBetween, templateThroughChange } from '../../../server/src/task/textChange';

const BEFORE = [
  'version: v1.1.0',
  '# a comment with {{ .Values.x }}',
  'steps:',
  '  - id: a',
  '    cmd: {{ .Values.image }} echo hi',
  '  - id: b',
  '    build: -t app:{{ .Run.ID }} .',
  '    when: [a]',
  '  - cmd: alpine {x{ .Run.ID }}',
  '  - cmd: alpine {{ nofunc .Run.ID }} x',
  '  - cmd: bash {{ if }} y',
  '',
].join('\n');

/** `find` (unique in BEFORE) becomes `replace`. */
const EDITS: { name: string; find: string; replace: string; reused: boolean }[] = [
  { name: 'a letter typed in a value before templates', find: 'echo hi', replace: 'echo hix', reused: true },
  { name: 'a letter deleted in a value', find: 'echo hi', replace: 'echo h', reused: true },
  { name: 'a letter typed in a comment', find: '# a comment', replace: '# a commxent', reused: true },
  { name: 'text typed after the last template', find: '}} x', replace: '}} xyz', reused: true },
  { name: 'a letter typed at the end of a plain value', find: '.Run.ID }} .', replace: '.Run.ID }} .x', reused: true },
  {
    name: 'a letter typed well after a template',
    find: 'x\n  - cmd: bash',
    replace: 'xy\n  - cmd: bash',
    reused: true,
  },
  { name: 'a line turned into a comment', find: '  - id: b', replace: '#  - id: b', reused: false },
  { name: 'a letter typed inside a template', find: '.Values.image', replace: '.Values.imagex', reused: false },
  { name: 'a line break typed', find: 'echo hi', replace: 'echo\nhi', reused: false },
  { name: 'two braces brought together', find: '{x{', replace: '{{', reused: false },
  { name: 'a brace typed', find: 'echo hi', replace: 'echo h}i', reused: false },
  { name: 'a letter typed right after an action', find: '}} echo', replace: '}}x echo', reused: false },
];

describe('task: re-analysis through a one-line edit', () => {
  for (const edit of EDITS) {
    it(`${edit.reused ? 'moves' : 'recomputes'} the template analysis: ${edit.name}`, () => {
      assert.equal(BEFORE.split(edit.find).length, 2, `"${edit.find}" must occur once`);
      const after = BEFORE.replace(edit.find, edit.replace);
      const template = analyzeTemplate(blankCommentLines(BEFORE));
      const moved = templateThroughChange(BEFORE, after, changeBetween(BEFORE, after), template);
      assert.equal(moved !== undefined, edit.reused);
      if (moved) assert.deepEqual(moved, analyzeTemplate(blankCommentLines(after)));
      const reanalysed = analyzeSource(after, { text: BEFORE, template });
      const fresh = analyzeSource(after);
      assert.deepEqual(
        {
          template: reanalysed.template,
          templateSpans: reanalysed.templateSpans,
          masked: reanalysed.masked,
          diagnostics: reanalysed.diagnostics,
          task: reanalysed.parsed.task,
        },
        {
          template: fresh.template,
          templateSpans: fresh.templateSpans,
          masked: fresh.masked,
          diagnostics: fresh.diagnostics,
          task: fresh.parsed.task,
        },
      );
    });
  }

  it('the fixture has template errors on both sides of the edits (the comparison covers moved errors)', () => {
    const errors = analyzeTemplate(blankCommentLines(BEFORE)).errors.map((error) => error.message);
    assert.ok(
      errors.some((message) => message.includes('"nofunc" not defined')),
      errors.join('; '),
    );
    assert.ok(errors.length >= 2, errors.join('; '));
  });
});
