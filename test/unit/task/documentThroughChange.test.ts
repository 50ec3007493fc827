/**
 * After a keystroke inside a one-line plain value the previous YAML tree is moved onto the new text
 * instead of parsing it again — only where that gives exactly the tree, task and diagnostics that a
 * fresh parse gives.
 */
import { strict as assert } from 'node:assert';
import { analyzeSource } from '../../../server/src/task/analyze';
import { reanalyse, shape } from './reanalysis';
import { moveDocumentThroughChange } from '../../../server/src/task/documentThroughChange';
import { changeBetween } from '../../../server/src/task/textChange';

const BEFORE = [
  'version: v1.1.0',
  'steps:',
  '  - id: a',
  '    cmd: app go test ./...',
  '    env: [A=1, B=two]',
  '    timeout: 30',
  '    user: of',
  '  - id: b',
  '    cmd: |',
  '      echo one',
  '    when: [a]',
  '  - id: c',
  '    cmd: bash {{ .Run.ID }} x # trailing comment',
  '    entryPoint: sh',
  '    workingDirectory: -w a .',
  '    retries: three',
  '',
].join('\n');

const EDITS: { name: string; find: string; replace: string; moved: boolean; before?: string }[] = [
  { name: 'a letter typed at the end of a value', find: './...', replace: './...x', moved: true },
  { name: 'a letter typed inside a value', find: 'go test', replace: 'go tesxt', moved: true },
  { name: 'a space typed inside a value', find: 'go test', replace: 'go  test', moved: true },
  { name: 'a letter deleted', find: 'go test', replace: 'go tst', moved: true },
  { name: 'a letter typed in a flow item', find: 'B=two', replace: 'B=twox', moved: true },
  { name: 'a letter typed before a trailing comment', find: '}} x #', replace: '}} xy #', moved: true },
  { name: 'a digit typed in an int', find: 'timeout: 30', replace: 'timeout: 300', moved: false },
  { name: 'a value that becomes a YAML 1.1 bool', find: 'user: of', replace: 'user: off', moved: false },
  { name: 'a space before a comment mark', find: 'x # trailing', replace: 'x  # trailing', moved: false },
  { name: 'a space at the end of a value', find: './...', replace: './... ', moved: false },
  { name: 'a letter typed in a block scalar', find: 'echo one', replace: 'echo onxe', moved: false },
  { name: 'a letter typed in a key', find: 'entryPoint', replace: 'entryPoinxt', moved: false },
  { name: 'a mapping indicator typed', find: 'go test', replace: 'go: test', moved: false },
  { name: 'a blank uncovered at the end of a value', find: '-w a .', replace: '-w a ', moved: false },
  { name: 'a dash first that becomes a sequence mark', find: '-w a .', replace: '- a .', moved: false },
  { name: 'a line break typed', find: 'go test', replace: 'go\n test', moved: false },
  { name: 'the first letter replaced', find: 'sh\n', replace: 'zh\n', moved: false },
  {
    name: 'a letter typed while the file has a YAML error',
    before: BEFORE.replace('  - id: b', '  - id: b\n   bad: [indent'),
    find: 'go test',
    replace: 'go tesxt',
    moved: false,
  },
];

/** Every node of the tree with what a consumer can read from it. */
describe('task: the YAML tree moved through a keystroke', () => {
  for (const edit of EDITS) {
    it(`${edit.moved ? 'moves' : 'parses again'}: ${edit.name}`, () => {
      const before = edit.before ?? BEFORE;
      assert.equal(before.split(edit.find).length, 2, `"${edit.find}" must occur once`);
      const after = before.replace(edit.find, edit.replace);
      const probe = analyzeSource(before);
      const moved = moveDocumentThroughChange(
        probe.parsed.document,
        probe.masked,
        analyzeSource(after).masked,
        changeBetween(probe.masked, analyzeSource(after).masked),
      );
      assert.equal(moved, edit.moved);

      const { reanalysed } = reanalyse(before, after);
      const fresh = analyzeSource(after);
      assert.deepEqual(shape(reanalysed.parsed.document), shape(fresh.parsed.document));
      assert.deepEqual(
        reanalysed.parsed.document.toJS({ mapAsMap: true }),
        fresh.parsed.document.toJS({ mapAsMap: true }),
      );
      assert.deepEqual(
        { task: reanalysed.parsed.task, diagnostics: reanalysed.diagnostics, masked: reanalysed.masked },
        { task: fresh.parsed.task, diagnostics: fresh.diagnostics, masked: fresh.masked },
      );
    });
  }

  it('the fixture has diagnostics after the edits (the comparison covers moved ones)', () => {
    const codes = analyzeSource(BEFORE).diagnostics.map((problem) => problem.code);
    assert.ok(codes.includes('yaml-type'), codes.join(', '));
  });
});
