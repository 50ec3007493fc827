import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CompletionItem,
  CompletionList,
  Diagnostic,
  LogMessageParams,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { RENDER_PREVIEW_REQUEST } from '../../../server/src/protocol';
import { NEIGHBOUR_FILES } from '../../fuzz/exerciseService';
import { fuzzCases, mutatedText, type FuzzCase } from '../../fuzz/mutate';
import { loadSeedCorpus } from '../../fuzz/seedCorpus';
import { FUZZ_SEED, SERVER_DOCUMENTS } from '../../fuzz/settings';
import { LspTestClient } from '../LspTestClient';
import { ServerDeathWatch } from './serverDeath';

/** Published diagnostics per URI by document version, so bursts and reopenings are attributed exactly. */
class DiagnosticsByVersion {
  private readonly waiters: { uri: string; version: number; resolve: (diagnostics: Diagnostic[]) => void }[] = [];

  /** Replaces the test client's own publishDiagnostics handler (one handler per method in vscode-jsonrpc). */
  constructor(client: LspTestClient) {
    client.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      // Closing a document publishes [] without a version: not the answer to any edit.
      if (params.version === undefined) return;
      for (let index = this.waiters.length - 1; index >= 0; index--) {
        const waiter = this.waiters[index];
        if (waiter.uri === params.uri && params.version >= waiter.version) {
          this.waiters.splice(index, 1);
          waiter.resolve(params.diagnostics);
        }
      }
    });
  }

  /** Resolves with the diagnostics of `version` (or a later one) of `uri`. */
  of(uri: string, version: number): Promise<Diagnostic[]> {
    return new Promise((resolve) => this.waiters.push({ uri, version, resolve }));
  }
}

/** One incremental change that turns `before` into `after`: the span between their common prefix and suffix. */
function minimalChange(before: TextDocument, after: string): TextDocumentContentChangeEvent {
  const old = before.getText();
  let prefix = 0;
  const limit = Math.min(old.length, after.length);
  while (prefix < limit && old.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < limit - prefix &&
    old.charCodeAt(old.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  // A position cannot fall between \r and \n (LSP counts \r\n as one line break), so widen the span.
  const crlfAt = (offset: number) => old.charCodeAt(offset - 1) === 13 && old.charCodeAt(offset) === 10;
  if (crlfAt(prefix)) prefix--;
  if (crlfAt(old.length - suffix)) suffix--;
  return {
    range: { start: before.positionAt(prefix), end: before.positionAt(old.length - suffix) },
    text: after.slice(prefix, after.length - suffix),
  };
}

interface OpenDocument {
  uri: string;
  /** The server's view of the text, kept in step by applying the same changes. */
  mirror: TextDocument;
  open: boolean;
}

describe('language server over stdio on a stream of mutated documents (seeded fuzz)', function () {
  this.timeout(300_000);
  let client: LspTestClient;
  let watch: ServerDeathWatch;
  let root: string;
  const loggedErrors: string[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'acr-lsp-fuzz-'));
    for (const [name, text] of Object.entries(NEIGHBOUR_FILES)) writeFileSync(join(root, name), text);
    mkdirSync(join(root, 'nested'));
    writeFileSync(join(root, 'nested', 'values.yaml'), NEIGHBOUR_FILES['values.yaml']);
    client = new LspTestClient();
    watch = new ServerDeathWatch(client);
    client.connection.onNotification('window/logMessage', (params: LogMessageParams) => {
      if (params.type === 1) loggedErrors.push(params.message);
    });
    await client.initialize(root);
  });

  after(async () => {
    if (watch.died) client.connection.dispose();
    else await client.shutdown();
  });

  it(`stays alive and keeps answering (${SERVER_DOCUMENTS} documents, seed ${FUZZ_SEED})`, async () => {
    const diagnostics = new DiagnosticsByVersion(client);
    const corpus = loadSeedCorpus().map((seed) => seed.text);
    const names = ['acr-task.yaml', 'a.acr-task.yaml', 'acb.yaml', 'nested/acr-task.yaml', 'b.acr-task.yaml'];
    const documents: OpenDocument[] = names.map((name) => {
      const uri = `file://${join(root, name)}`;
      mkdirSync(dirname(join(root, name)), { recursive: true });
      return { uri, mirror: TextDocument.create(uri, 'yaml', 0, ''), open: false };
    });
    const failedRequests: string[] = [];
    const request = <R>(method: string, params: unknown, text: string) =>
      client.request<R>(method, params).catch((error: unknown) => {
        failedRequests.push(`${method}: ${String(error)} on ${JSON.stringify(text.slice(0, 500))}`);
      });

    /** Sends `text` as the next version of `document` the way `fuzzCase` says; resolves when it was validated. */
    const send = async (document: OpenDocument, text: string, fuzzCase: FuzzCase) => {
      const { connection } = client;
      const version = document.mirror.version + 1;
      const style = document.open ? fuzzCase.seed % 4 : 3;
      if (style === 3) {
        if (document.open)
          await connection.sendNotification('textDocument/didClose', { textDocument: { uri: document.uri } });
        document.mirror = TextDocument.create(document.uri, 'yaml', version, text);
        document.open = true;
        const waiting = diagnostics.of(document.uri, version);
        await connection.sendNotification('textDocument/didOpen', {
          textDocument: { uri: document.uri, languageId: 'yaml', version, text },
        });
        return waiting;
      }
      // 0: whole text; 1: the minimal ranged edit; 2: a burst of ranged edits in one notification.
      const changes: TextDocumentContentChangeEvent[] =
        style === 0
          ? [{ text }]
          : style === 1
            ? [minimalChange(document.mirror, text)]
            : [
                { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '{{ if }}' },
                { text: text.slice(0, text.length >> 1) },
                minimalChange(TextDocument.create('', '', 0, text.slice(0, text.length >> 1)), text),
              ];
      document.mirror = TextDocument.update(document.mirror, changes, version);
      assert.equal(document.mirror.getText(), text, 'the test computed a wrong incremental change');
      const waiting = diagnostics.of(document.uri, version);
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: document.uri, version },
        contentChanges: changes,
      });
      return waiting;
    };

    const started = performance.now();
    let sent = 0;
    let validated = 0;
    const cases = fuzzCases(FUZZ_SEED + 1, SERVER_DOCUMENTS);
    while (sent < SERVER_DOCUMENTS) {
      // One round: every document gets a new text and two requests before anything is awaited, so the
      // server sees edits and requests interleaved as an editor sends them.
      const pending: Promise<unknown>[] = [];
      const roundTexts: string[] = [];
      for (const document of documents) {
        const next = cases.next();
        if (next.done) break;
        const fuzzCase = next.value;
        const text = mutatedText(fuzzCase, corpus);
        roundTexts.push(text);
        pending.push(send(document, text, fuzzCase).then(() => validated++));
        const textDocument = { uri: document.uri };
        const [first, second] = fuzzCase.probes.map((probe) =>
          document.mirror.positionAt(probe.offset % (text.length + 1)),
        );
        pending.push(request('textDocument/completion', { textDocument, position: first }, text));
        pending.push(request('textDocument/hover', { textDocument, position: second }, text));
        if (fuzzCase.seed % 7 === 0)
          pending.push(request(RENDER_PREVIEW_REQUEST, { textDocument, uri: document.uri, set: fuzzCase.set }, text));
        sent++;
      }
      try {
        await watch.orDeath(Promise.all(pending), `the round ending at document ${sent}`);
      } catch (error) {
        const texts = roundTexts.map((text) => `  ${JSON.stringify(text.slice(0, 300))} (${text.length} chars)`);
        throw new Error(`${String(error)}\nthe round's documents:\n${texts.join('\n')}`, { cause: error });
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `      server fuzz: ${sent} documents sent, ${validated} validated, over stdio in ${seconds.toFixed(1)} s`,
    );

    // After the storm, a well-formed file gets exactly the right answers.
    const uri = `file://${join(root, 'final.acr-task.yaml')}`;
    const waiting = diagnostics.of(uri, 1);
    await client.open(
      uri,
      'version: v1.0.0\nsteps:\n  - {id: a, cmd: x, when: [b]}\n  - {id: b, cmd: x, retries: -1}\n  - id: c\n    cmd: x\n    \n',
    );
    assert.deepEqual(
      (await watch.orDeath(waiting, 'the final check')).map((d) => [d.code, d.range.start.line]).sort(),
      [
        ['step-retries-negative', 3],
        ['when-unknown-step', 2],
      ],
    );
    const completion = await client.request<CompletionList | CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 6, character: 4 },
    });
    const labels = (Array.isArray(completion) ? completion : completion.items).map((item) => item.label);
    assert.ok(labels.includes('entryPoint') && !labels.includes('cmd'), `labels: ${labels.join(', ')}`);

    assert.ok(!watch.died, 'the server is still running');
    assert.equal(validated, SERVER_DOCUMENTS);
    assert.deepEqual(failedRequests, []);
    assert.deepEqual(loggedErrors, []);
  });
});
