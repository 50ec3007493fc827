/**
 * Task definitions over LSP (node dist/server.js --stdio): the watcher starts with the workspace, the
 * trigger state says a task must run once before its base image can trigger it, open definitions files
 * get diagnostics, and `acrTasks.triggers.watch: false` keeps the watcher off.
 */
import { deepStrictEqual, strictEqual } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  TRIGGER_STATE_CHANGED_NOTIFICATION,
  TRIGGER_STATE_REQUEST,
  WORKSPACE_TRUST_NOTIFICATION,
  type TriggerStateResult,
} from '../../server/src/protocol';
import { LspTestClient } from './LspTestClient';

const DEFINITIONS = [
  'tasks:',
  '  app:',
  '    file: Dockerfile',
  '    images: ["app:{{.Run.ID}}"]',
  '    triggers:',
  '      schedules: {nightly: "0 2 * * *"}',
  '',
].join('\n');

describe('task definitions over LSP', function () {
  const roots: string[] = [];

  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  function workspace(): string {
    const root = mkdtempSync(join(tmpdir(), 'acr-lsp-triggers-'));
    roots.push(root);
    writeFileSync(join(root, '.acr-tasks.yaml'), DEFINITIONS);
    writeFileSync(join(root, 'Dockerfile'), 'FROM busybox\n');
    return root;
  }

  it('watches the workspace and reports each trigger; a task must run once before a base image triggers it', async () => {
    const root = workspace();
    const client = new LspTestClient({ triggers: { watch: true, pollSeconds: 3600 } });
    try {
      // The watcher starts right after initialization and says so with a state notification.
      let changed!: () => void;
      let nextChange = new Promise<void>((resolve) => (changed = resolve));
      client.connection.onNotification(TRIGGER_STATE_CHANGED_NOTIFICATION, () => changed());
      await client.initialize(root);
      await client.connection.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: true });
      let state = await client.connection.sendRequest<TriggerStateResult>(TRIGGER_STATE_REQUEST, {});
      while (!state.files[0]?.watching) {
        await nextChange;
        nextChange = new Promise<void>((resolve) => (changed = resolve));
        state = await client.connection.sendRequest<TriggerStateResult>(TRIGGER_STATE_REQUEST, {});
      }
      const [file] = state.files;
      deepStrictEqual(
        [file?.definitionsFile, file?.watching, file?.problems],
        [join(root, '.acr-tasks.yaml'), true, []],
      );
      const task = file?.tasks[0];
      deepStrictEqual(
        [
          task?.task,
          task?.kind,
          task?.baseImage.state,
          task?.baseImage.message,
          task?.commit.state,
          task?.schedules[0]?.name,
        ],
        [
          'app',
          'dockerfile',
          'needsFirstRun',
          'runs once before it can be triggered: as in ACR, base images are discovered while building',
          'inactive',
          'nightly',
        ],
      );
      strictEqual(typeof task?.schedules[0]?.next, 'string');
    } finally {
      await client.shutdown();
    }
  });

  it('watches nothing in a workspace the client has not said is trusted', async () => {
    const root = workspace();
    const client = new LspTestClient({ triggers: { watch: true } });
    try {
      // The bridge announces its state once the settings are read (a watcher would have started by then).
      const settled = new Promise<void>((resolve) =>
        client.connection.onNotification(TRIGGER_STATE_CHANGED_NOTIFICATION, () => resolve()),
      );
      await client.initialize(root);
      await client.connection.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: false });
      await settled;
      const state = await client.connection.sendRequest<TriggerStateResult>(TRIGGER_STATE_REQUEST, {});
      deepStrictEqual([state.files[0]?.watching, state.files[0]?.tasks[0]?.baseImage.state], [false, 'needsFirstRun']);
    } finally {
      await client.shutdown();
    }
  });

  it('publishes diagnostics for an open definitions file', async () => {
    const root = workspace();
    const client = new LspTestClient({ triggers: { watch: false } });
    try {
      await client.initialize(root);
      const uri = `file://${join(root, '.acr-tasks.yaml')}`;
      const waiting = client.nextDiagnostics(uri);
      await client.open(uri, 'tasks:\n  app:\n    file: Dockerfile\n    timeout: soon\n    imgs: [a]\n');
      const diagnostics = await waiting;
      deepStrictEqual(
        diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.source, diagnostic.range.start.line]),
        [
          ['definitions-unknown-key', 'acr-task', 4],
          ['definitions-type', 'acr-task', 3],
        ],
      );
      // Trusted, but the setting is off.
      await client.connection.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: true });
      const state = await client.connection.sendRequest<TriggerStateResult>(TRIGGER_STATE_REQUEST, {});
      strictEqual(state.files[0]?.watching, false);
    } finally {
      await client.shutdown();
    }
  });
});
