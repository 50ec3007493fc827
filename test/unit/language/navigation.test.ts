/** Document symbols, and go-to-definition / references / rename for step ids (in `id:` and in `when:`). */
import { strict as assert } from 'node:assert';
import type { DocumentSymbol } from 'vscode-languageserver-types';
import { at, documentOf, rangeText, serviceWith } from './harness';

const TASK = [
  'version: v1.1.0',
  'secrets:',
  '  - id: pw',
  '    keyvault: https://v.vault.azure.net/secrets/pw',
  'steps:',
  '  - id: build',
  '    build: -t app:1 .',
  '  - id: "test"',
  '    cmd: app:1 go test ./...',
  '    when: [build]',
  '  - cmd: alpine true',
  '  - id: push',
  '    push: [app:1]',
  '    when:',
  '      - build',
  '      - "test"',
  '',
].join('\n');

function outline(symbols: DocumentSymbol[]): unknown[] {
  return symbols.map((symbol) => ({
    name: symbol.name,
    detail: symbol.detail,
    kind: symbol.kind,
    ...(symbol.children ? { children: outline(symbol.children) } : {}),
  }));
}

function marked(line: number, text: string): string {
  const lines = TASK.split('\n');
  lines[line] = text;
  return lines.join('\n');
}

describe('language service: symbols and step-id navigation', () => {
  it('outlines the task: top-level keys, steps named by id with kind and first words', () => {
    const symbols = serviceWith().documentSymbols(documentOf(TASK));
    assert.deepEqual(outline(symbols), [
      { name: 'version', detail: 'v1.1.0', kind: 7 },
      {
        name: 'secrets',
        detail: undefined,
        kind: 18,
        children: [{ name: 'pw', detail: 'https://v.vault.azure.net/secrets/pw', kind: 20 }],
      },
      {
        name: 'steps',
        detail: undefined,
        kind: 18,
        children: [
          { name: 'build', detail: 'build: -t app:1 .', kind: 12 },
          { name: 'test', detail: 'cmd: app:1 go test ./...', kind: 12 },
          { name: 'acb_step_2', detail: 'cmd: alpine true', kind: 12 },
          { name: 'push', detail: 'push: app:1', kind: 12 },
        ],
      },
    ]);
    const steps = symbols[2].children!;
    assert.equal(rangeText(steps[0].selectionRange), '5:8-5:13');
    assert.equal(rangeText(steps[1].selectionRange), '7:8-7:14');
  });

  it('goes from a when entry to the step id it names', () => {
    const { document, position } = at(marked(14, '      - bu|ild'));
    const locations = serviceWith().definition(document, position);
    assert.deepEqual(
      locations.map((location) => rangeText(location.range)),
      ['5:8-5:13'],
    );
  });

  it('goes from a when entry to a step with an automatic id', () => {
    const { document, position } = at('steps:\n  - cmd: a\n  - {cmd: b, when: [acb_step_|0]}\n');
    assert.deepEqual(
      serviceWith()
        .definition(document, position)
        .map((location) => rangeText(location.range)),
      ['1:4-1:7'],
    );
  });

  it('finds every reference of a step id, with or without its declaration', () => {
    const { document, position } = at(marked(5, '  - id: bu|ild'));
    const service = serviceWith();
    assert.deepEqual(
      service.references(document, position, true).map((location) => rangeText(location.range)),
      ['5:8-5:13', '9:11-9:16', '14:8-14:13'],
    );
    assert.deepEqual(
      service.references(document, position, false).map((location) => rangeText(location.range)),
      ['9:11-9:16', '14:8-14:13'],
    );
  });

  it('renames a step id in id and in every when, keeping quotes', () => {
    const { document, position } = at(marked(7, '  - id: "te|st"'));
    const service = serviceWith();
    assert.equal(rangeText(service.prepareRename(document, position)!), '7:9-7:13');
    const edit = service.rename(document, position, 'unit-test');
    const edits = edit?.changes?.[document.uri] ?? [];
    assert.deepEqual(
      edits.map((change) => [rangeText(change.range), change.newText]),
      [
        ['7:9-7:13', 'unit-test'],
        ['15:9-15:13', 'unit-test'],
      ],
    );
  });

  it('quotes a new name that a plain scalar cannot hold', () => {
    const { document, position } = at(marked(5, '  - id: bu|ild'));
    const edits = serviceWith().rename(document, position, 'a:b')?.changes?.[document.uri] ?? [];
    assert.deepEqual(
      edits.map((change) => change.newText),
      ['"a:b"', '"a:b"', '"a:b"'],
    );
  });

  it('goes from .Secrets.x to the secret and from $alias to its alias.values key', () => {
    const service = serviceWith();
    const secret = at(marked(8, '    cmd: app:1 go test {{ .Secrets.p|w }}'));
    assert.deepEqual(
      service.definition(secret.document, secret.position).map((location) => rangeText(location.range)),
      ['2:8-2:10'],
    );
    const alias = at('version: v1.1.0\nalias:\n  values:\n    repo: r\nsteps:\n  - push: [$re|po/app]\n');
    assert.deepEqual(
      service.definition(alias.document, alias.position).map((location) => rangeText(location.range)),
      ['3:4-3:8'],
    );
  });

  it('refuses to rename onto another step id', () => {
    const { document, position } = at(marked(5, '  - id: bu|ild'));
    assert.equal(serviceWith().rename(document, position, 'push'), null);
  });

  it('refuses to rename what is not an explicit step id, or to a name ACR rejects', () => {
    const service = serviceWith();
    const auto = at('steps:\n  - cmd: a\n  - {cmd: b, when: [acb_step_|0]}\n');
    assert.equal(service.prepareRename(auto.document, auto.position), null);
    const immediate = at('steps:\n  - {cmd: b, when: ["|-"]}\n');
    assert.equal(service.prepareRename(immediate.document, immediate.position), null);
    const step = at(marked(5, '  - id: bu|ild'));
    assert.equal(service.rename(step.document, step.position, 'has space'), null);
    const nothing = at(marked(6, '    build: -t a|pp:1 .'));
    assert.equal(service.rename(nothing.document, nothing.position, 'x'), null);
    assert.deepEqual(service.definition(nothing.document, nothing.position), []);
  });
});
