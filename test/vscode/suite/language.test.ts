import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsOf, extensionApi, workspaceFile } from './helpers';

describe('language features through the real client', () => {
  before(async () => {
    await extensionApi();
  });

  it('reports an unknown `when` step as a diagnostic with a stable code and our source', async () => {
    const uri = workspaceFile('broken.acr-task.yaml');
    await vscode.window.showTextDocument(uri);
    const diagnostics = await diagnosticsOf(uri, (found) => found.length > 0);
    assert.deepEqual(
      diagnostics.map((diagnostic) => ({
        code: diagnostic.code,
        source: diagnostic.source,
        severity: diagnostic.severity,
        line: diagnostic.range.start.line,
      })),
      [{ code: 'when-unknown-step', source: 'acr-task', severity: vscode.DiagnosticSeverity.Error, line: 7 }],
    );
  });

  it('has no problems in a valid task file with templates', async () => {
    const uri = workspaceFile('acr-task.yaml');
    await vscode.window.showTextDocument(uri);
    // The server publishes (empty) diagnostics for every validated task file; wait for the publication.
    const diagnostics = await diagnosticsOf(uri, () => true);
    assert.deepEqual(diagnostics, []);
  });

  it('completes step keys inside a step', async () => {
    const uri = workspaceFile('acr-task.yaml');
    const editor = await vscode.window.showTextDocument(uri);
    const line = editor.document.lineAt(5); // `    cmd: …` of step hello
    const position = new vscode.Position(5, line.firstNonWhitespaceCharacterIndex);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      position,
    );
    const labels = new Set(list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label)));
    for (const key of ['when', 'env', 'timeout', 'ignoreErrors'])
      assert.ok(labels.has(key), `completion offers ${key}`);
  });

  it('documents step keys on hover', async () => {
    const uri = workspaceFile('broken.acr-task.yaml');
    await vscode.window.showTextDocument(uri);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(7, 5), // on the `when` key
    );
    const text = hovers
      .flatMap((hover) => hover.contents)
      .map((content) => (typeof content === 'string' ? content : content.value))
      .join('\n');
    assert.match(text, /when/);
  });
});
