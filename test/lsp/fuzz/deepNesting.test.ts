import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { RENDER_PREVIEW_REQUEST } from '../../../server/src/protocol';
import { LspTestClient } from '../LspTestClient';
import { ServerDeathWatch } from './serverDeath';

/**
 * Deeply nested documents through the real server, each in a fresh process. A few kilobytes of `[`
 * or `- ` drive the recursive YAML compose to the stack limit; V8 (Node 20) then aborts the process
 * (SIGABRT, "RegExpCompiler Allocation failed") instead of throwing when a regular expression is
 * compiled that deep, which no try/catch can stop. The server must bound nesting before parsing.
 */
const SHAPES: { name: string; text: string }[] = [
  { name: '1,100 nested flow sequences', text: '['.repeat(1100) },
  { name: '1,440 nested flow sequences', text: '['.repeat(1440) },
  { name: '3,000 nested flow sequences in steps', text: `steps: ${'['.repeat(3000)}${']'.repeat(3000)}\n` },
  { name: '1,640 nested block sequences', text: `${'- '.repeat(1640)}x` },
  { name: '4,000 nested flow mappings in steps', text: `steps: ${'{a: '.repeat(4000)}x${'}'.repeat(4000)}\n` },
  { name: '3,000 nested template ifs', text: `steps:\n  - cmd: ${'{{ if . }}'.repeat(3000)}\n` },
];

describe('language server over stdio on deeply nested documents', function () {
  this.timeout(60_000);
  const root = mkdtempSync(join(tmpdir(), 'acr-lsp-deep-'));

  for (const shape of SHAPES) {
    it(`${shape.name}: open, preview, completion and hover, and the server still answers`, async () => {
      const client = new LspTestClient();
      const watch = new ServerDeathWatch(client);
      try {
        await client.initialize(root);
        const uri = `file://${join(root, 'acr-task.yaml')}`;
        const textDocument = { uri };
        const position = { line: 0, character: 3 };
        const published = client.nextDiagnostics(uri);
        await client.open(uri, shape.text);
        await watch.orDeath(published, 'validation');
        await watch.orDeath(client.request(RENDER_PREVIEW_REQUEST, { textDocument, uri }), 'renderPreview');
        await watch.orDeath(client.request('textDocument/completion', { textDocument, position }), 'completion');
        await watch.orDeath(client.request('textDocument/hover', { textDocument, position }), 'hover');

        // Still the same server, answering correctly.
        const next = client.nextDiagnostics(uri);
        await client.change(uri, 'steps:\n  - cmd: x\n    retries: -1\n');
        const diagnostics: Diagnostic[] = await watch.orDeath(next, 'validation of a normal file');
        assert.deepEqual(
          diagnostics.map((d) => d.code),
          ['step-retries-negative'],
        );
        const hover = await watch.orDeath(
          client.request<Hover | null>('textDocument/hover', { textDocument, position: { line: 2, character: 6 } }),
          'hover on a normal file',
        );
        assert.ok(hover && JSON.stringify(hover.contents).includes('retr'));
      } finally {
        if (watch.died) client.connection.dispose();
        else await client.shutdown();
      }
    });
  }
});
