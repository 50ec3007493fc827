/**
 * Seeded random keystrokes (one character typed or deleted anywhere) on a realistic task file: whatever
 * the re-analysis takes over from the previous version (template analysis, YAML tree) and whatever
 * completion answers from the previous analysis, the result equals a fresh analysis of the new text.
 */
import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../../server/src/language';
import { AnalysisCache } from '../../../server/src/language/AnalysisCache';
import { analyzeSource } from '../../../server/src/task/analyze';
import { reanalyse, shape } from './reanalysis';

const URI = 'file:///work/keystrokes.acr-task.yaml';

function taskText(): string {
  const lines = ['version: v1.1.0', 'secrets:', '  - id: tok', 'networks:', '  - name: n1', 'steps:'];
  lines.push('  - id: first', '    cmd: -t x', '    entryPoint: ?a', '    user: :b');
  for (let index = 0; index < 10; index++) {
    lines.push(`  - id: s${index}`);
    if (index % 3 === 0) lines.push(`    build: -t $Registry/app:{{ .Run.ID }} -f Dockerfile .`, '    cache: enabled');
    else if (index % 3 === 1)
      lines.push(`    cmd: $Registry/app go test ./pkg/${index}/... # run`, '    env: [A=1, "B=2"]');
    else lines.push('    cmd: |', `      bash -c 'echo {{ .Values.v }} ${index}'`, '    timeout: 30', '    when: [s0]');
  }
  lines.push('  - id: last', '    network: ', '    when:', '      - ', '    push:', '      - ', '');
  return lines.join('\n');
}

/** Deterministic pseudo-random integers in [0, n) (a linear congruential generator). */
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

const CHARACTERS = 'abcxyz019._-/=+  :#{}$"\'\n[],?';

describe('task: random keystrokes re-analysed from the previous version equal fresh analyses', () => {
  it('300 seeded edits: the tree, task, diagnostics and completions', () => {
    const random = generator(20261122);
    let text = taskText();
    let movedTrees = 0;
    let reusedCompletions = 0;
    for (let step = 0; step < 300; step++) {
      const at = random(text.length);
      const typed = CHARACTERS[random(CHARACTERS.length)];
      const after =
        random(3) === 0 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + typed + text.slice(at);
      const where = `edit ${step} at ${at}: ${JSON.stringify(after.slice(Math.max(0, at - 20), at + 20))}`;

      const { previous, reanalysed } = reanalyse(text, after);
      const fresh = analyzeSource(after);
      if (reanalysed.parsed.document === previous.parsed.document) movedTrees++;
      assert.deepEqual(shape(reanalysed.parsed.document), shape(fresh.parsed.document), where);
      assert.deepEqual(
        { task: reanalysed.parsed.task, diagnostics: reanalysed.diagnostics, template: reanalysed.template },
        { task: fresh.parsed.task, diagnostics: fresh.diagnostics, template: fresh.template },
        where,
      );

      const cache = new AnalysisCache();
      cache.get(TextDocument.create(URI, 'yaml', 1, text));
      if (cache.throughEdit(TextDocument.create(URI, 'yaml', 2, after)) !== undefined) {
        reusedCompletions++;
        for (let probe = 0; probe < 3; probe++) {
          const offset = random(after.length + 1);
          const service = createLanguageService({ readFile: () => undefined });
          service.validate(TextDocument.create(URI, 'yaml', 1, text), {});
          const edited = TextDocument.create(URI, 'yaml', 2, after);
          const early = service.complete(edited, edited.positionAt(offset), {});
          const settled = TextDocument.create(URI, 'yaml', 1, after);
          const expected = createLanguageService({ readFile: () => undefined }).complete(
            settled,
            settled.positionAt(offset),
            {},
          );
          assert.deepEqual(early, expected, `${where}, completion at ${offset}`);
        }
      }
      // Walk on from edits that kept the file well-formed, so later edits land on a changed text.
      if (fresh.parsed.document.errors.length === 0 && random(2) === 0) text = after;
    }
    // Not vacuous: a good share of the edits took the fast paths.
    assert.ok(movedTrees >= 50, `moved trees: ${movedTrees}`);
    assert.ok(reusedCompletions >= 8, `reused completions: ${reusedCompletions}`);
  });
});
