/**
 * Stopping runs from the terminal: Ctrl+C cancels the run, closing the terminal cancels it too, and in
 * both cases nothing the run created (containers, networks, volumes) is left in the engine.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { RUN_ID_LABEL } from '../../../server/src/engine/ContainerRuntime';
import { getDocker } from '../../integration/setup';
import { copyWorkspace, engineEnvironment } from '../testEnvironment';
import { Workbench } from './Workbench';

/** Everything in the engine labelled with the run's id. */
async function leftovers(runId: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const { docker } = await getDocker();
  const filters = { label: [`${RUN_ID_LABEL}=${runId}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return { containers: containers.length, networks: networks.length, volumes: volumes.Volumes?.length ?? 0 };
}

describe('cancelling runs from the terminal', function () {
  let workbench: Workbench;
  let workspace: string;

  before(async function () {
    workspace = copyWorkspace();
    workbench = await Workbench.open(workspace, { env: await engineEnvironment() });
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

  /** Starts slow.acr-task.yaml from the command palette; resolves with the run id once its step runs. */
  async function startSlowRun(): Promise<string> {
    await workbench.runCommand('ACR Tasks: Run Task');
    await workbench.quickPick('slow.acr-task.yaml');
    await workbench.waitForTerminal(/Step wait/);
    const [, runId] = await workbench.waitForTerminal(/Run ([a-z][a-z0-9]+)\s/);
    if (!runId) throw new Error('the terminal shows no run id');
    return runId;
  }

  it('Ctrl+C in the run terminal cancels the run and cleans up', async function () {
    const runId = await startSlowRun();
    // While the run is active, the status bar says so.
    const statusItem = workbench.page.locator('.statusbar-item', { hasText: new RegExp(`ACR: run ${runId}`) });
    await statusItem.waitFor();
    // A click that lands while the workbench re-renders is lost, and Ctrl+C then goes elsewhere: press
    // it again (a second Ctrl+C while cancelling changes nothing) until the terminal says cancelled.
    for (let attempt = 1; ; attempt++) {
      await workbench.page.locator('.terminal-wrapper.active .xterm').last().click();
      await workbench.page.keyboard.press('Control+C');
      try {
        await workbench.waitForTerminal(new RegExp(`Run ${runId} cancelled`), 20_000);
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    await workbench.screenshot('09-ctrl-c-cancelled');
    await statusItem.waitFor({ state: 'hidden' });
    assert.deepEqual(await leftovers(runId), { containers: 0, networks: 0, volumes: 0 });
  });

  it('closing the run terminal cancels the run and cleans up', async function () {
    const runId = await startSlowRun();
    await workbench.runCommand('Terminal: Kill the Active Terminal Instance');
    const runs = await workbench.ourView('Runs');
    await runs
      .locator('.monaco-list-row', { hasText: runId })
      .filter({ hasText: /cancelled/ })
      .first()
      .waitFor();
    await workbench.screenshot('10-terminal-closed-run-cancelled');
    assert.deepEqual(await leftovers(runId), { containers: 0, networks: 0, volumes: 0 });
  });
});
