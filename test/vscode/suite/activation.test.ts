import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionApi, workspaceFile } from './helpers';

describe('activation', () => {
  it('activates in a workspace with task files and exports its API', async () => {
    const api = await extensionApi();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.equal(api.client.isRunning(), true);
  });

  it('registers every contributed command', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string }[] };
    };
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((entry) => entry.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });

  it('lists the workspace task files in the Tasks view, with their steps from the server', async () => {
    const api = await extensionApi();
    const files = (await api.tasksTree.getChildren()).map((node) => vscode.workspace.asRelativePath(node.uri));
    assert.deepEqual(files, [
      'acr-task.yaml',
      'broken.acr-task.yaml',
      'fails.acr-task.yaml',
      'secret.acr-task.yaml',
      'slow.acr-task.yaml',
    ]);
    const main = (await api.tasksTree.getChildren()).find(
      (node) => node.uri.fsPath === workspaceFile('acr-task.yaml').fsPath,
    )!;
    const steps = await api.tasksTree.getChildren(main);
    assert.deepEqual(
      steps.map((node) =>
        node.kind === 'step'
          ? { id: node.step.id, kind: node.step.kind, line: node.step.line, dependsOn: node.step.dependsOn }
          : {},
      ),
      [
        { id: 'hello', kind: 'cmd', line: 4, dependsOn: [] },
        { id: 'image', kind: 'build', line: 6, dependsOn: ['hello'] },
        { id: 'greet', kind: 'cmd', line: 8, dependsOn: ['image'] },
      ],
    );
  });

  it('keeps task files as YAML (other YAML extensions still apply)', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('acr-task.yaml'));
    assert.equal(document.languageId, 'yaml');
  });
});
