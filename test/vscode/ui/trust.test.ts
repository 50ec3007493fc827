/**
 * Workspace Trust: in Restricted Mode the editing help still works (diagnostics), but nothing can start a
 * run — no Run Task in the editor title or the Tasks view, no Run Step CodeLens, and the palette command
 * refuses.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { copyWorkspace, engineEnvironment } from '../testEnvironment';
import { Workbench } from './Workbench';

describe('an untrusted workspace', function () {
  let workbench: Workbench;
  let workspace: string;

  before(async function () {
    workspace = copyWorkspace();
    workbench = await Workbench.open(workspace, { env: await engineEnvironment(), workspaceTrust: true, trust: false });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await workbench
        .screenshot(`failed-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`)
        .catch(() => undefined);
    }
  });

  after(async function () {
    await workbench?.close();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('checks task files but offers no way to run them', async function () {
    const { page } = workbench;
    await workbench.openFile('broken.acr-task.yaml');
    await page.locator('#status\\.problems').filter({ hasText: /1/ }).waitFor();
    // Show Rendered Task (no run) is in the editor title; Run Task is not.
    const titleActions = page.locator('.editor-group-container.active .editor-actions');
    await titleActions.locator('.action-label[aria-label="Show Rendered Task"]').waitFor();
    assert.equal(await titleActions.locator('.action-label[aria-label="Run Task"]').count(), 0);
    assert.equal(await page.locator('.codelens-decoration', { hasText: /Run Step/ }).count(), 0);

    const tasks = await workbench.ourView('Tasks');
    const fileRow = tasks.locator('.monaco-list-row', { hasText: /^acr-task\.yaml/ }).first();
    await fileRow.hover();
    assert.equal(await fileRow.locator('.action-label[aria-label="Run Task"]').count(), 0);
    await workbench.screenshot('11-restricted-mode');

    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>ACR Tasks: Run Task');
    const rows = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'ACR Tasks: Run Task' });
    assert.equal(await rows.count(), 0, 'the palette does not offer Run Task in Restricted Mode');
    await page.keyboard.press('Escape');
  });
});
