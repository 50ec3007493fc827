import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CompletionItem,
  CompletionList,
  DocumentSymbol,
  Hover,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { RENDER_PREVIEW_REQUEST, type RenderPreviewResult } from '../../server/src/protocol';
import { LspTestClient } from './LspTestClient';

describe('language server over stdio (node dist/server.js --stdio)', function () {
  let client: LspTestClient;
  let root: string;
  const uriOf = (name: string) => `file://${join(root, name)}`;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'acr-lsp-'));
    writeFileSync(join(root, 'values.yaml'), 'image: alpine\nport: 80\n');
    client = new LspTestClient({ taskFileGlobs: ['**/ci/*.yml'] });
    const result = (await client.initialize(root)) as { capabilities: Record<string, unknown> };
    assert.ok(result.capabilities.completionProvider);
    assert.ok(result.capabilities.renameProvider);
  });

  after(async () => {
    await client.shutdown();
  });

  it('publishes every problem at once, with source acr-task and stable codes', async () => {
    const uri = uriOf('acr-task.yaml');
    const waiting = client.nextDiagnostics(uri);
    await client.open(
      uri,
      'version: v1.0.0\nsteps:\n  - {id: a, cmd: x, when: [b]}\n  - {id: b, cmd: x, retries: -1}\n',
    );
    const diagnostics = await waiting;
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.source, d.range.start.line]).sort(),
      [
        ['step-retries-negative', 'acr-task', 3],
        ['when-unknown-step', 'acr-task', 2],
      ].sort(),
    );
  });

  it('validates a task file whatever languageId the client sends, and a file matched by a user glob', async () => {
    const plain = uriOf('acb.yaml');
    const waiting = client.nextDiagnostics(plain);
    await client.open(plain, 'steps:\n  - {}\n', 'plaintext');
    assert.deepEqual(
      (await waiting).map((d) => d.code),
      ['step-kind-missing'],
    );
    const globbed = uriOf('ci/build.yml');
    const waitingGlob = client.nextDiagnostics(globbed);
    await client.open(globbed, 'steps:\n  - {cmd: a, build: .}\n');
    assert.deepEqual(
      (await waitingGlob).map((d) => d.code),
      ['step-kind-multiple'],
    );
  });

  it('re-validates after an edit', async () => {
    const uri = uriOf('edit.acr-task.yaml');
    const first = client.nextDiagnostics(uri);
    await client.open(uri, 'steps:\n  - cmd: x\n');
    assert.deepEqual(await first, []);
    const second = client.nextDiagnostics(uri);
    await client.change(uri, 'steps:\n  - cmd: x\n    retries: -2\n');
    assert.deepEqual(
      (await second).map((d) => d.code),
      ['step-retries-negative'],
    );
  });

  it('answers nothing for files that are not task files', async () => {
    const uri = uriOf('docker-compose.yaml');
    await client.open(uri, 'services: {}\n');
    const completion = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 0, character: 0 },
    });
    assert.equal(completion, null);
  });

  it('completes step keys, hovers keys, lists steps and renames ids', async () => {
    const uri = uriOf('features/acr-task.yaml');
    const text =
      'version: v1.1.0\nsteps:\n  - id: build\n    build: -t app .\n  - id: test\n    cmd: app true\n    when: [build]\n    \n';
    const waiting = client.nextDiagnostics(uri);
    await client.open(uri, text);
    await waiting;
    const completion = await client.request<CompletionList | CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 7, character: 4 },
    });
    const labels = (Array.isArray(completion) ? completion : completion.items).map((item) => item.label);
    assert.ok(labels.includes('entryPoint'), `labels: ${labels.join(', ')}`);
    assert.ok(!labels.includes('cmd'), 'a step that has cmd is not offered cmd again');
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 5 },
    });
    assert.ok(hover && JSON.stringify(hover.contents).length > 20);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const names = JSON.stringify(symbols);
    assert.ok(names.includes('"build"') && names.includes('"test"'));
    const edit = await client.request<WorkspaceEdit | null>('textDocument/rename', {
      textDocument: { uri },
      position: { line: 2, character: 10 },
      newName: 'compile',
    });
    assert.equal(edit?.changes?.[uri]?.length, 2);
  });

  // An editor sends the completion request right behind the keystroke's didChange, before the server
  // has re-analysed the text; whichever analysis answers, the list must be that of the edited text.
  const keystrokeCases: { name: string; before: string; after: string; includes: string; excludes?: string }[] = [
    {
      name: 'a letter typed inside a cmd',
      before: 'version: v1.1.0\nsteps:\n  - id: build\n    cmd: app go test\n  - id: last\n    when:\n      - \n',
      after: 'version: v1.1.0\nsteps:\n  - id: build\n    cmd: app go tesxt\n  - id: last\n    when:\n      - \n',
      includes: 'build',
    },
    {
      name: 'a step id changed',
      before: 'version: v1.1.0\nsteps:\n  - id: build\n    cmd: app go test\n  - id: last\n    when:\n      - \n',
      after: 'version: v1.1.0\nsteps:\n  - id: buildx\n    cmd: app go test\n  - id: last\n    when:\n      - \n',
      includes: 'buildx',
      excludes: 'build',
    },
  ];
  for (const testCase of keystrokeCases) {
    it(`completes right behind a keystroke as on the settled text: ${testCase.name}`, async () => {
      const position = { line: 6, character: 8 };
      const labelsOf = (result: CompletionList | CompletionItem[] | null) =>
        (Array.isArray(result) ? result : (result?.items ?? [])).map((item) => item.label).sort();
      const uri = uriOf(`keystroke-${keystrokeCases.indexOf(testCase)}.acr-task.yaml`);
      const opened = client.nextDiagnostics(uri);
      await client.open(uri, testCase.before);
      await opened;
      const revalidated = client.nextDiagnostics(uri);
      await client.change(uri, testCase.after);
      const early = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
        textDocument: { uri },
        position,
      });
      await revalidated;
      const settled = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
        textDocument: { uri },
        position,
      });
      assert.deepEqual(labelsOf(early), labelsOf(settled));
      assert.ok(labelsOf(early).includes(testCase.includes), labelsOf(early).join(', '));
      if (testCase.excludes) assert.ok(!labelsOf(early).includes(testCase.excludes), labelsOf(early).join(', '));
    });
  }

  it('renders a preview with values, --set and run variables, mapping errors to source lines', async () => {
    const uri = uriOf('render.acr-task.yaml');
    await client.open(uri, 'steps:\n  - cmd: {{ .Values.image }} echo {{ .Run.ID }} {{ .Values.port }}\n');
    const result = await client.request<RenderPreviewResult>(RENDER_PREVIEW_REQUEST, {
      textDocument: { uri },
      uri,
      set: ['port=8080'],
      run: { ID: 'ca1' },
    });
    assert.deepEqual(result, { rendered: 'steps:\n  - cmd: alpine echo ca1 8080\n', problems: [] });
    const broken = uriOf('broken.acr-task.yaml');
    await client.open(broken, 'steps:\n  - cmd: x\n  - cmd: {{ .Values.cfg.port }}\n');
    const failed = await client.request<RenderPreviewResult>(RENDER_PREVIEW_REQUEST, {
      textDocument: { uri: broken },
      uri: broken,
    });
    assert.equal(failed.problems[0]?.line, 2);
    assert.match(failed.problems[0].message, /nil pointer/);
  });
});
