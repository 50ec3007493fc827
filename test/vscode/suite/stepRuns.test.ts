import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, runFinished, workspaceFile } from './helpers';

// acr-task.yaml: hello → image → greet
describe('Run Step and Run to Here', () => {
  it('Run to Here runs the step and what it waits for, nothing after it', async () => {
    const api = await extensionApi();
    const runId = await vscode.commands.executeCommand<string>(
      'acrTasks.runToHere',
      workspaceFile('acr-task.yaml'),
      'image',
    );
    const run = await runFinished(api, runId);
    assert.equal(run.status, 'succeeded', run.finished?.error);
    assert.deepEqual(
      run.finished?.steps.map((step) => [step.id, step.status]),
      [
        ['hello', 'succeeded'],
        ['image', 'succeeded'],
      ],
    );
  });

  it('Run Step runs one step alone', async () => {
    const api = await extensionApi();
    const runId = await vscode.commands.executeCommand<string>(
      'acrTasks.runStep',
      workspaceFile('acr-task.yaml'),
      'hello',
    );
    const run = await runFinished(api, runId);
    assert.equal(run.status, 'succeeded', run.finished?.error);
    assert.deepEqual(
      run.finished?.steps.map((step) => step.id),
      ['hello'],
    );
  });
});
