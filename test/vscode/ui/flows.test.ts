/**
 * The main flows through the real UI (code-server workbench in Chromium), each kept as screenshots in
 * test-artifacts/screenshots/: Build Context from the explorer, a task file's error in Problems and in
 * the hover, completion of step keys, and Run Task from the sidebar through to the run's log.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getDocker } from '../../integration/setup';
import { copyWorkspace, engineEnvironment } from '../testEnvironment';
import { Workbench } from './Workbench';

describe('UI flows in the real workbench', function () {
  let workbench: Workbench;
  let workspace: string;

  before(async function () {
    workspace = copyWorkspace();
    workbench = await Workbench.open(workspace, { env: await engineEnvironment() });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = `failed-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
      await workbench.screenshot(name).catch(() => undefined);
    }
  });

  after(async function () {
    await workbench?.close();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('Build Context on a Dockerfile (explorer context menu) streams the build into a terminal and leaves the image in the engine', async function () {
    const row = await workbench.explorerRow('Dockerfile');
    await workbench.contextMenu(row, 'Build Context');
    const input = workbench.page.locator('.quick-input-widget input');
    await input.waitFor();
    const suggested = await input.inputValue();
    const repository = path.basename(workspace).toLowerCase();
    assert.equal(suggested, `${repository}:{{.Run.ID}}`);
    await workbench.screenshot('01-build-context-image-name');
    await input.press('Enter');

    const [, runId] = await workbench.waitForTerminal(/Run ([a-z][a-z0-9]+) succeeded in/);
    // The "copying the context" progress ends with the preparation.
    await workbench.page
      .locator('.notification-toast', { hasText: /copying the context/ })
      .waitFor({ state: 'detached' });
    const terminal = await workbench.terminalText();
    assert.match(terminal, /Step build/);
    assert.match(terminal, /greetings from the image|Successfully built/);
    await workbench.screenshot('02-build-context-terminal');

    const { docker } = await getDocker();
    const image = await docker.getImage(`${repository}:${runId}`).inspect();
    assert.match(image.Id, /^sha256:/);
    await docker.getImage(`${repository}:${runId}`).remove();
  });

  it('a task file with an error: the Problems count shows it and the hover explains it', async function () {
    await workbench.openFile('broken.acr-task.yaml');
    const problems = workbench.page.locator('#status\\.problems');
    await problems.filter({ hasText: /1/ }).waitFor();
    assert.match((await problems.getAttribute('aria-label')) ?? (await problems.innerText()), /1/);

    const word = workbench.page.locator('.editor-group-container.active .view-line span', { hasText: /^frist$/ });
    const hover = workbench.page.locator('.monaco-hover', { hasText: /frist/ });
    // A hover shown while the editor re-lays out (decorations arriving) can be hidden again at once:
    // move away and back until it stays.
    for (let attempt = 1; ; attempt++) {
      await word.first().hover();
      try {
        await hover.first().waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await workbench.page.mouse.move(0, 0);
      }
    }
    assert.match(await hover.first().innerText(), /step 'frist' does not exist/);
    await workbench.screenshot('03-problem-hover');
    await workbench.page.keyboard.press('Escape');
  });

  it('completion lists step keys inside a step', async function () {
    await workbench.openFile('acr-task.yaml');
    const { page } = workbench;
    // The CodeLens comes from the language server's outline: once it shows, the server answers.
    await page
      .locator('.codelens-decoration', { hasText: /Run Step/ })
      .first()
      .waitFor();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('6');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const rows = page.locator('.editor-widget.suggest-widget .monaco-list-row');
    // The widget can be dismissed by a re-layout (CodeLens arriving); ask again until it stays open.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+Space');
      try {
        await rows.first().waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    const labels = (await page.locator('.suggest-widget .monaco-list-row .label-name').allInnerTexts()).map((label) =>
      label.trim(),
    );
    for (const key of ['when', 'timeout', 'retries', 'ignoreErrors'])
      assert.ok(labels.includes(key), `completion offers ${key}: ${labels.join(', ')}`);
    await workbench.screenshot('04-completion-step-keys');
    await page.keyboard.press('Escape');
    await workbench.runCommand('File: Revert File');
  });

  it('Run Task from the sidebar: steps turn green, the run appears in the history and its log opens', async function () {
    const tasks = await workbench.ourView('Tasks');
    const fileRow = tasks.locator('.monaco-list-row', { hasText: /^acr-task\.yaml/ }).first();
    await fileRow.hover();
    await fileRow.locator('.action-label[aria-label="Run Task"]').click();

    for (const step of ['hello', 'image', 'greet']) {
      const row = tasks.locator('.monaco-list-row', {
        has: workbench.page.locator('.label-name', { hasText: new RegExp(`^${step}$`) }),
      });
      await row.locator('.codicon-pass').first().waitFor();
    }
    await workbench.screenshot('05-run-task-steps-green');
    const [, runId] = await workbench.waitForTerminal(/Run ([a-z][a-z0-9]+) succeeded in/);

    const runs = await workbench.ourView('Runs');
    const runRow = runs.locator('.monaco-list-row', { hasText: runId });
    await runRow
      .filter({ hasText: /succeeded/ })
      .first()
      .waitFor();
    assert.match(await runRow.first().innerText(), /acr-task\.yaml[\s\S]*succeeded[\s\S]*manual/);
    await workbench.screenshot('06-runs-history');

    // The Runs view re-renders while the run record settles; a click on a row being replaced is lost.
    // Opening the log again is harmless, so click until its tab shows.
    const logTab = workbench.page.locator(`.tab.active[aria-label^="${runId}.log"]`);
    for (let attempt = 1; ; attempt++) {
      await runRow.first().click();
      try {
        await logTab.waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    await workbench.page
      .locator('.editor-group-container.active .view-line', { hasText: /hello\sfrom\srun/ })
      .first()
      .waitFor();
    const log = await workbench.activeEditorText();
    assert.match(log, new RegExp(`hello from run ${runId}`));
    await workbench.screenshot('07-run-log');
  });

  it('Show Rendered Task (editor title) opens the task as a run would execute it, beside the source', async function () {
    const { page } = workbench;
    await workbench.openFile('acr-task.yaml');
    await page
      .locator('.editor-group-container.active .editor-actions .action-label[aria-label="Show Rendered Task"]')
      .click();
    const group = page.locator('.editor-group-container', {
      has: page.locator('.tab.active[aria-label^="acr-task.yaml (rendered)"]'),
    });
    await group
      .locator('.view-line', { hasText: /echo\shello\sfrom\srun/ })
      .first()
      .waitFor();
    const rendered = (await group.locator('.view-line').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
    assert.doesNotMatch(rendered, /\{\{/, 'templates are rendered');
    assert.match(rendered, /# Rendered with the run variables of run [a-z][a-z0-9]+\./);
    assert.match(rendered, /build: -t acrtest\/greeting:[a-z][a-z0-9]+ \./);
    await workbench.screenshot('08-rendered-task');
    await workbench.runCommand('View: Close All Editors');
  });

  it('the walkthrough for first use opens from the palette', async function () {
    await workbench.runCommand('Welcome: Open Walkthrough...');
    await workbench.quickPick('Get started with ACR Tasks Local');
    const page = workbench.page.locator('.gettingStartedContainer');
    for (const step of [
      'Open a task file',
      'Point at your Docker engine',
      'Run a task',
      'Give secrets to runs',
      'Look back at runs',
    ])
      await page.getByText(step, { exact: true }).first().waitFor();
    // The step's markdown media renders in a webview (an iframe inside an iframe).
    await workbench.page
      .frameLocator('iframe.webview')
      .frameLocator('iframe#active-frame')
      .getByText('ACR Tasks Local recognises task files by their name:')
      .waitFor();
    await workbench.screenshot('13-walkthrough');
  });
});
