import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi } from './helpers';

describe('task definitions and triggers in the Tasks view', () => {
  it('shows each defined task with its triggers, and says a base-image trigger needs a first run', async () => {
    const api = await extensionApi();
    // The server reads .acr-tasks.yaml and answers the trigger state; wait for it to arrive.
    let roots: Awaited<ReturnType<typeof api.tasksView.getChildren>> = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      roots = await api.tasksView.getChildren();
      if (roots.some((node) => node.kind === 'definedTask')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const defined = roots.find((node) => node.kind === 'definedTask');
    assert.ok(defined && defined.kind === 'definedTask', 'the defined task appears in the Tasks view');
    const item = api.tasksView.getTreeItem(defined);
    assert.deepEqual([item.label, item.contextValue], ['greeting', 'idleDefinedTask']);
    assert.match(String(item.description), /never ran/);

    const triggers = (await api.tasksView.getChildren(defined)).map((node) => api.tasksView.getTreeItem(node));
    assert.deepEqual(
      triggers.map((trigger) => [trigger.label, trigger.description]),
      [
        ['Base image update (Runtime)', 'runs once before it can be triggered'],
        ['Commit', triggers[1]?.description],
        ['Timer leap', triggers[2]?.description],
      ],
    );
    assert.match(String(triggers[1]?.description), /disabled/);
    assert.match(String(triggers[2]?.description), /^0 0 29 2 \* \(UTC\) · next /);
    // The task files still follow the defined tasks.
    assert.ok(roots.some((node) => node.kind !== 'definedTask' && 'uri' in node && node.uri instanceof vscode.Uri));
  });
});
