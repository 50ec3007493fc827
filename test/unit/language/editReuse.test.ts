/**
 * Completion right behind a keystroke, answered from the previous analysis when the edit is
 * fact-neutral: the answer must be exactly the one a fresh analysis of the edited text gives, and only
 * edits inside free-text step values (with characters that cannot change the YAML) may be reused.
 */
import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from '../../../server/src/language/AnalysisCache';
import { changeBetween } from '../../../server/src/task/textChange';
import { caret, serviceWith, TASK_URI } from './harness';

const BASE = [
  'version: v1.1.0',
  'alias:',
  '  values:',
  '    repo: myregistry.azurecr.io/app',
  'secrets:',
  '  - id: token',
  '    keyvault: https://kv.vault.azure.net/secrets/token',
  'networks:',
  '  - name: net1',
  'steps:',
  '  - id: compile',
  '    build: -t $repo:{{ .Run.ID }} .',
  '  - id: test',
  '    cmd: $repo:{{ .Run.ID }} go test ./... && echo a#b',
  '    entryPoint: sh',
  '    user: -u x',
  '    workingDirectory: /src/{x{ .Values.extra }}',
  '  - id: script',
  '    cmd: |',
  '      echo one',
  '      echo two',
  '  - id: publish',
  '    push:',
  '      - ',
  '  - id: last',
  '    cmd: alpine true',
  '    network: ',
  '    when: [compile, ]',
  '    env: ["A={{ .Secrets.token }}", "B={{ .Values.version }}"]',
  '    ',
].join('\n');

const CARET = '§';

/** Where completion is asked, as a caret inserted into the edited text after `anchor`. */
const SITES: { name: string; anchor: string }[] = [
  { name: 'a step key at the end of the file', anchor: '.Values.version }}"]\n    ' },
  { name: 'a values key in a template (keys used in the file)', anchor: '"B={{ .Values.' },
  { name: 'a network value', anchor: 'network: ' },
  { name: 'a secret in a template', anchor: '{{ .Secrets.' },
  { name: 'a when item in a flow list (needs the tree)', anchor: 'when: [compile, ' },
  { name: 'a push item (needs earlier build spans)', anchor: 'push:\n      - ' },
  { name: 'an alias value', anchor: 'cmd: alpine' },
];

/** Edits of BASE: `find` (unique) becomes `replace`. */
const EDITS: { name: string; find: string; replace: string; reused: boolean }[] = [
  { name: 'a letter typed at the end of a cmd', find: '&& echo a#b', replace: '&& echo a#bx', reused: true },
  { name: 'a letter typed inside a cmd', find: 'go test', replace: 'go tesxt', reused: true },
  { name: 'a space typed inside a cmd', find: 'go test', replace: 'go  test', reused: true },
  { name: 'a letter deleted inside a cmd', find: 'go test', replace: 'go tst', reused: true },
  { name: 'a letter typed in a block scalar line', find: 'echo one', replace: 'echo onxe', reused: true },
  { name: 'a letter typed in an entryPoint', find: 'entryPoint: sh', replace: 'entryPoint: shx', reused: true },
  { name: 'a step id changed', find: 'id: compile', replace: 'id: compilex', reused: false },
  { name: 'a build value changed', find: '{{ .Run.ID }} .', replace: '{{ .Run.ID }} x.', reused: false },
  { name: 'a template changed', find: '{{ .Run.ID }} go', replace: '{{ .Run.IDx }} go', reused: false },
  { name: 'a mapping indicator typed', find: 'go test', replace: 'go: test', reused: false },
  { name: 'a space that starts a comment', find: 'a#b', replace: 'a #b', reused: false },
  { name: 'an alias reference typed', find: 'go test', replace: 'go $test', reused: false },
  { name: 'two braces brought together', find: '{x{', replace: '{{', reused: false },
  { name: 'a dash first that becomes a sequence mark', find: '-u x', replace: '- x', reused: false },
  { name: 'a quote typed', find: 'go test', replace: 'go "test', reused: false },
  { name: 'a line break typed', find: 'go test', replace: 'go\n test', reused: false },
  { name: 'a value emptied', find: 'entryPoint: sh', replace: 'entryPoint: ', reused: false },
  { name: 'the first letter of a value replaced', find: 'entryPoint: sh', replace: 'entryPoint: xh', reused: false },
  { name: 'a top-level value changed', find: 'version: v1.1.0', replace: 'version: v1.0.0', reused: false },
];

function edited(find: string, replace: string): string {
  assert.equal(BASE.split(find).length, 2, `"${find}" must occur once`);
  return BASE.replace(find, replace);
}

function withCaret(text: string, anchor: string): string {
  assert.equal(text.split(anchor).length, 2, `"${anchor}" must occur once`);
  return text.replace(anchor, `${anchor}${CARET}`);
}

describe('language service: completion right after an edit', () => {
  for (const edit of EDITS) {
    it(`${edit.reused ? 'reuses' : 'does not reuse'} the previous analysis: ${edit.name}`, () => {
      const cache = new AnalysisCache();
      cache.get(TextDocument.create(TASK_URI, 'yaml', 1, BASE));
      const after = TextDocument.create(TASK_URI, 'yaml', 2, edited(edit.find, edit.replace));
      assert.equal(cache.throughEdit(after) !== undefined, edit.reused);
    });

    for (const site of SITES) {
      it(`answers as a fresh analysis would: ${edit.name}, then ${site.name}`, () => {
        const { text, offset } = caret(withCaret(edited(edit.find, edit.replace), site.anchor), CARET);
        const service = serviceWith();
        service.validate(TextDocument.create(TASK_URI, 'yaml', 1, BASE), {});
        const afterEdit = TextDocument.create(TASK_URI, 'yaml', 2, text);
        const reused = service.complete(afterEdit, afterEdit.positionAt(offset), {});
        const freshDocument = TextDocument.create(TASK_URI, 'yaml', 1, text);
        const fresh = serviceWith().complete(freshDocument, freshDocument.positionAt(offset), {});
        assert.deepEqual(reused, fresh);
      });
    }
  }

  it('the change between two texts is their differing middle', () => {
    assert.deepEqual(changeBetween('abcdef', 'abXYef'), { start: 2, oldEnd: 4, newEnd: 4 });
    assert.deepEqual(changeBetween('aaa', 'aaaa'), { start: 3, oldEnd: 3, newEnd: 4 });
    assert.deepEqual(changeBetween('same', 'same'), { start: 4, oldEnd: 4, newEnd: 4 });
    assert.deepEqual(changeBetween('abc', ''), { start: 0, oldEnd: 3, newEnd: 0 });
  });

  it('offers the same non-empty lists whichever way it answers (the comparison is not vacuous)', () => {
    const { text, offset } = caret(withCaret(edited('go test', 'go tesxt'), 'network: '), CARET);
    const service = serviceWith();
    service.validate(TextDocument.create(TASK_URI, 'yaml', 1, BASE), {});
    const afterEdit = TextDocument.create(TASK_URI, 'yaml', 2, text);
    const labels = service.complete(afterEdit, afterEdit.positionAt(offset), {}).items.map((item) => item.label);
    assert.ok(labels.includes('net1'), labels.join(', '));
  });
});
