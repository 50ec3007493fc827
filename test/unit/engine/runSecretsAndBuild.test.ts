import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RunStore } from '../../../server/src/engine/runStore/RunStore';
import { FakeRuntime } from './fakeRuntime';
import { contextDir, run } from './runHarness';

describe('secrets in a run', () => {
  const SECRET = 'sup3r-s3cret-value';
  const task = [
    'secrets:',
    '  - {id: token, keyvault: "https://vault.vault.azure.net/secrets/token"}',
    'volumes:',
    '  - name: creds',
    '    secret:',
    '      token.txt: {{.Secrets.token | b64enc}}',
    'steps:',
    '  - id: show',
    '    cmd: fake echo {{.Secrets.token}}',
    '    env: ["TOKEN={{.Secrets.token}}"]',
    '    volumeMounts: [{name: creds, mountPath: /run/creds}]',
  ].join('\n');

  it('writes secret files decoded, and masks the value everywhere: events, echoed command, stored log and record', async () => {
    const runtime = new FakeRuntime();
    let secretFile: string | undefined;
    runtime.onRun = (_spec, options, fake) => {
      secretFile = fake.file('acb_r1_creds', 'token.txt');
      // The value arrives split across output chunks, once plain and once Base64-encoded.
      options.onOutput('stdout', Buffer.from(`token=${SECRET.slice(0, 5)}`));
      options.onOutput('stdout', Buffer.from(`${SECRET.slice(5)} b64=${Buffer.from(SECRET).toString('base64')}\n`));
      return Promise.resolve(0);
    };
    const directory = mkdtempSync(join(tmpdir(), 'acr-store-'));
    try {
      const store = new RunStore({ directory });
      const { result, events } = await run(runtime, task, { secrets: { token: SECRET }, store });
      assert.equal(result.status, 'succeeded');
      assert.equal(secretFile, SECRET);
      const spec = runtime.calls.find((call) => call.op === 'start')?.detail as { env: string[]; args: string[] };
      assert.deepEqual(
        [spec.env, spec.args],
        [
          ['HOME=/acb/home', `TOKEN=${SECRET}`],
          ['echo', SECRET],
        ],
      );
      const everything = [
        JSON.stringify(events),
        readFileSync(join(directory, 'r1', 'log.txt'), 'utf8'),
        readFileSync(join(directory, 'r1', 'events.jsonl'), 'utf8'),
        readFileSync(join(directory, 'r1', 'run.json'), 'utf8'),
      ];
      for (const text of everything) {
        assert.ok(!text.includes(SECRET) && !text.includes(Buffer.from(SECRET).toString('base64')), text);
      }
      const started = events.find((event) => event.type === 'stepStarted');
      assert.ok(
        started?.type === 'stepStarted' &&
          started.command.includes('--env TOKEN=*** ') &&
          started.command.endsWith('fake echo ***'),
        JSON.stringify(started),
      );
      assert.match(everything[1], /show \| token=\*\*\* b64=\*\*\*\n/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('fails clearly when a Key Vault secret has no value and no resolver is configured', async () => {
    const { result } = await run(new FakeRuntime(), task);
    assert.equal(
      result.error,
      "acr-task.yaml: secret token comes from Key Vault (https://vault.vault.azure.net/secrets/token) and no Key Vault resolver is configured: pass its value with --secret token=VALUE (or store it in the editor's secret storage)",
    );
  });

  it('resolves a Key Vault secret through the configured resolver', async () => {
    const runtime = new FakeRuntime();
    const { result, events } = await run(runtime, task, {
      keyVault: { resolve: (secret) => Promise.resolve(`from-vault-${secret.id}`) },
    });
    assert.equal(result.status, 'succeeded');
    assert.deepEqual((runtime.calls.find((call) => call.op === 'start')?.detail as { args: string[] }).args, [
      'echo',
      'from-vault-token',
    ]);
    assert.ok(!JSON.stringify(events).includes('from-vault-token'));
  });
});

describe('run store', () => {
  it('records runs and prunes old unarchived ones', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'acr-store-'));
    try {
      let now = new Date('2026-01-01T00:00:00Z');
      const store = new RunStore({ directory, retentionDays: 30, now: () => now });
      for (const id of ['old1', 'old2', 'new1']) {
        const recorder = await store.begin({
          id,
          taskFile: 't.yaml',
          context: '/c',
          trigger: 'cli',
          startedAt: (id.startsWith('old') ? new Date('2025-11-01T00:00:00Z') : now).toISOString(),
        });
        recorder.onEvent({
          type: 'runFinished',
          runId: id,
          status: 'succeeded',
          startedAt: '',
          finishedAt: id.startsWith('old') ? '2025-11-01T00:01:00Z' : now.toISOString(),
          durationMs: 1,
          steps: [],
          dependencies: [],
        });
        await recorder.close();
      }
      await store.setArchived('old2', true);
      now = new Date('2026-01-02T00:00:00Z');
      assert.deepEqual(await store.prune(), ['old1']);
      assert.deepEqual(
        (await store.list()).map((record) => [record.id, record.status, record.archived]),
        [
          ['new1', 'succeeded', false],
          ['old2', 'succeeded', true],
        ],
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('build steps', () => {
  it('builds from the workspace with .dockerignore applied, records dependencies and fills digests', async () => {
    const runtime = new FakeRuntime();
    runtime.images.set('golang:1.21', {
      id: 'sha256:g',
      repoDigests: ['golang@sha256:' + 'b'.repeat(64)],
      os: 'linux',
      architecture: 'amd64',
    });
    runtime.images.set('busybox:1', { id: 'sha256:bb', repoDigests: [], os: 'linux', architecture: 'amd64' });
    const context = contextDir({
      'app/Dockerfile': 'FROM --platform=linux/amd64 golang:1.21 AS build\nFROM busybox:1\n',
      'app/main.go': 'package main\n',
      'app/secret.env': 'X=1\n',
      'app/.dockerignore': '*.env\n',
      'docker/other.Dockerfile': 'FROM busybox:1\n',
    });
    try {
      const { result, events } = await run(
        runtime,
        'steps:\n  - {id: b, build: -t localhost:5000/app:1 --build-arg V=2 app}\n  - {id: c, workingDirectory: app, build: -f ../docker/other.Dockerfile .}\n',
        { contextDir: context },
      );
      assert.equal(result.status, 'succeeded');
      assert.deepEqual(
        runtime.builds.map((build) => [
          build.files.filter((file) => !file.startsWith('.dockerfile.')),
          build.options.dockerfile.startsWith('.dockerfile.') ? '.dockerfile.*' : build.options.dockerfile,
          build.options.tags,
          build.options.buildArgs,
        ]),
        [
          [['.dockerignore', 'Dockerfile', 'main.go'], 'Dockerfile', ['localhost:5000/app:1'], { V: '2' }],
          [['.dockerignore', 'Dockerfile', 'main.go'], '.dockerfile.*', [], {}],
        ],
      );
      assert.deepEqual(
        result.steps.map((step) => [step.id, step.digest]),
        [
          ['b', 'sha256:built1'],
          ['c', 'sha256:built2'],
        ],
      );
      const busybox = {
        registry: 'registry.hub.docker.com',
        repository: 'library/busybox',
        tag: '1',
        digest: '',
        reference: 'busybox:1',
      };
      assert.deepEqual(result.dependencies, [
        {
          image: {
            registry: 'registry.hub.docker.com',
            repository: 'localhost:5000/app',
            tag: '1',
            digest: '',
            reference: 'localhost:5000/app:1',
          },
          'runtime-dependency': busybox,
          'buildtime-dependency': [
            {
              registry: 'registry.hub.docker.com',
              repository: 'library/golang',
              tag: '1.21',
              digest: `sha256:${'b'.repeat(64)}`,
              reference: 'golang:1.21',
            },
          ],
        },
        { image: null, 'runtime-dependency': busybox, 'buildtime-dependency': null },
      ]);
      assert.ok(
        events.some(
          (event) => event.type === 'stepOutput' && event.stepId === 'b' && event.text === 'Step 1/1 : FROM fake\n',
        ),
      );
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });

  it('fails a build step whose Dockerfile is missing from the workspace', async () => {
    const { result } = await run(new FakeRuntime(), 'steps:\n  - {id: b, build: .}\n');
    assert.equal(
      result.error,
      'failed to run step ID: b: the Dockerfile /workspace/Dockerfile does not exist in the workspace',
    );
  });
});
