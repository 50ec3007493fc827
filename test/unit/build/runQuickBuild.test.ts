/**
 * The quick build through the engine on a fake runtime (the real engine is in test/integration/build):
 * build + push `when: [build]`, the context straight from disk with ACR's rules (no workspace or home
 * volume), secret build args masked in every event and in the stored run, the CLI's exit codes and
 * context listing, and what stops a build before it starts.
 */
import { deepStrictEqual, match, ok, rejects, strictEqual } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';

import { buildCommand } from '../../../server/src/cli/buildCommand';
import type { CliIo } from '../../../server/src/cli/cliIo';
import { QuickBuildError, runQuickBuild } from '../../../server/src/engine/quickBuild/runQuickBuild';
import { RunStore } from '../../../server/src/engine/runStore/RunStore';
import type { RunEvent } from '../../../server/src/protocol';
import { FakeRuntime } from '../engine/fakeRuntime';

const SECRET = 'quick-s3cret-Value';

function makeContext(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'quick-build-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

const FILES = {
  'ctx/Dockerfile': 'FROM base:1\n',
  'ctx/.dockerignore': '*.log\n',
  'ctx/app.txt': 'app',
  'ctx/debug.log': 'log',
  'ctx/.git/HEAD': 'ref',
  'elsewhere/Other.Dockerfile': 'FROM base:1\n',
};

/** A fake engine that has the base image (the dependency records need its digest). */
function newRuntime(): FakeRuntime {
  const runtime = new FakeRuntime();
  runtime.images.set('base:1', {
    id: 'sha256:base',
    repoDigests: ['base@sha256:b1'],
    os: 'linux',
    architecture: 'amd64',
  });
  return runtime;
}

describe('quick build on the engine (fake runtime)', () => {
  const roots: string[] = [];
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  function context(): string {
    const root = makeContext(FILES);
    roots.push(root);
    return root;
  }

  it('builds from disk with ACR rules and pushes when: [build]; secrets never leave unmasked', async () => {
    const root = context();
    const runtime = newRuntime();
    const events: RunEvent[] = [];
    const store = new RunStore({ directory: path.join(root, 'runs') });
    const result = await runQuickBuild({
      runtime,
      context: 'ctx',
      cwd: root,
      env: { TOKEN: SECRET },
      tags: ['app:{{.Run.ID}}'],
      buildArgs: ['PLAIN=1'],
      secretBuildArgs: ['TOKEN'],
      registry: 'myreg.azurecr.io',
      runId: 'qb1',
      store,
      onEvent: (event) => events.push(event),
    });
    deepStrictEqual(
      {
        status: result.status,
        steps: result.steps.map((step) => [step.id, step.status]),
        pushed: runtime.ops('push'),
        volumes: runtime.ops('createVolume'),
        leftovers: result.leftovers,
      },
      {
        status: 'succeeded',
        steps: [
          ['build', 'succeeded'],
          ['push', 'succeeded'],
        ],
        pushed: ['myreg.azurecr.io/app:qb1'],
        volumes: [],
        leftovers: { containers: [], networks: [], volumes: [] },
      },
    );
    const [build] = runtime.builds;
    const uploaded = build.options.dockerfile;
    match(uploaded, /^[0-9a-f]{32}_Dockerfile$/);
    deepStrictEqual(
      { files: build.files, tags: build.options.tags, args: build.options.buildArgs },
      {
        // The fake lists what it received sorted.
        files: ['.dockerignore', 'Dockerfile', 'app.txt', uploaded].sort(),
        tags: ['myreg.azurecr.io/app:qb1'],
        args: { PLAIN: '1', TOKEN: SECRET },
      },
    );
    const started = events.find((event) => event.type === 'stepStarted' && event.stepId === 'build');
    strictEqual(
      started?.type === 'stepStarted' && started.command,
      `docker build -f ${uploaded} -t myreg.azurecr.io/app:qb1 --build-arg PLAIN=1 --build-arg TOKEN=*** .`,
    );
    const stored = ['log.txt', 'events.jsonl', 'run.json'].map((file) =>
      readFileSync(path.join(root, 'runs', 'qb1', file), 'utf8'),
    );
    for (const text of [JSON.stringify(events), ...stored]) ok(!text.includes(SECRET), text);
  });

  it('a Dockerfile outside the context (-f relative to the current folder) is sent under the uuid name', async () => {
    const root = context();
    const runtime = newRuntime();
    const result = await runQuickBuild({
      runtime,
      context: 'ctx',
      dockerfile: 'elsewhere/Other.Dockerfile',
      cwd: root,
      env: {},
      tags: [],
      runId: 'qb2',
    });
    strictEqual(result.status, 'succeeded');
    match(runtime.builds[0].options.dockerfile, /^[0-9a-f]{32}_Other\.Dockerfile$/);
    ok(runtime.builds[0].files.includes(runtime.builds[0].options.dockerfile));
    deepStrictEqual(result.plan.warnings, ['No image names were given (-t), so nothing is pushed.']);
  });

  it('renders run variables from the engine and the git checkout when tags use them', async () => {
    const root = makeContext({ 'ctx/Dockerfile': 'FROM base:1\n' });
    roots.push(root);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: path.join(root, 'ctx'),
        encoding: 'utf8',
      }).trim();
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'c');
    const commit = git('rev-parse', 'HEAD');
    const result = await runQuickBuild({
      runtime: newRuntime(),
      context: 'ctx',
      cwd: root,
      env: {},
      tags: ['app:{{.Run.Branch}}-{{.Run.OS}}-$Architecture', 'app:{{.Run.Commit}}'],
      noPush: true,
      runId: 'qb4',
    });
    deepStrictEqual(result.plan.tags, ['app:main-linux-amd64', `app:${commit}`]);
  });

  it('refuses to start: missing context or Dockerfile, bad platform, bad run id, bad tag template', async () => {
    const root = context();
    const runtime = newRuntime();
    const cases: [Partial<Parameters<typeof runQuickBuild>[0]>, RegExp][] = [
      [{ context: 'nope' }, /the build context nope does not exist/],
      [{ context: 'ctx/app.txt' }, /is not a folder/],
      [{ dockerfile: 'ctx/Missing' }, /the Dockerfile ctx\/Missing does not exist/],
      [{ platform: 'linux/mips' }, /'mips' is not a valid value for Architecture/],
      [{ runId: 'Bad Id' }, /invalid run id/],
      [{ tags: ['app:{{.Run.ID'] }, /^-t app:\{\{\.Run\.ID: template: /],
    ];
    for (const [options, message] of cases) {
      await rejects(
        runQuickBuild({ runtime, context: 'ctx', cwd: root, env: {}, tags: [], ...options }),
        (error: Error) => error instanceof QuickBuildError && message.test(error.message),
      );
    }
    deepStrictEqual(runtime.builds, []);
  });

  it('warns before a build for a platform the engine does not run natively', async () => {
    const root = context();
    const runtime = newRuntime();
    const events: RunEvent[] = [];
    await runQuickBuild({
      runtime,
      context: 'ctx',
      cwd: root,
      env: {},
      tags: [],
      platform: 'Linux/ARM64',
      runId: 'qb3',
      onEvent: (event) => events.push(event),
    });
    const warnings = events.flatMap((event) =>
      event.type === 'runMessage' && event.level === 'warning' ? [event.text] : [],
    );
    ok(
      warnings.some((text) =>
        text.startsWith(
          '--platform linux/arm64: the engine runs linux/amd64; building for linux/arm64 needs emulation',
        ),
      ),
      warnings.join('\n'),
    );
    strictEqual(runtime.builds[0]?.options.platform, 'linux/arm64');
  });

  describe('CLI', () => {
    function io(cwd: string, env: Record<string, string> = {}) {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const text = { stdout: '', stderr: '' };
      stdout.on('data', (chunk: Buffer) => (text.stdout += chunk.toString()));
      stderr.on('data', (chunk: Buffer) => (text.stderr += chunk.toString()));
      const cli: CliIo = {
        stdout,
        stderr,
        cwd,
        env: { XDG_DATA_HOME: path.join(cwd, 'data'), ...env },
        signal: new AbortController().signal,
      };
      return { cli, text };
    }

    it('builds and pushes, exit 0; a failed push exits 1', async () => {
      const root = context();
      const runtime = newRuntime();
      const ok1 = io(root, { TOKEN: SECRET });
      const argv = ['ctx', '-t', 'app:v1', '--registry', 'reg.io', '--secret-build-arg', 'TOKEN', '--id', 'cli1'];
      strictEqual(await buildCommand(argv, ok1.cli, { runtime: () => Promise.resolve(runtime) }), 0);
      match(ok1.text.stdout, /Run cli1 succeeded/);
      ok(!ok1.text.stdout.includes(SECRET));
      runtime.onPush = () => Promise.reject(new Error('denied'));
      const failed = io(root);
      strictEqual(
        await buildCommand([...argv.slice(0, -1), 'cli2'], failed.cli, { runtime: () => Promise.resolve(runtime) }),
        1,
      );
      match(failed.text.stdout, /failed to push images successfully: denied/);
    });

    it('--list-context --json: what would be sent, nothing built', async () => {
      const root = context();
      const runtime = newRuntime();
      const { cli, text } = io(root);
      strictEqual(
        await buildCommand(['ctx', '--list-context', '--json'], cli, { runtime: () => Promise.resolve(runtime) }),
        0,
      );
      const listing = JSON.parse(text.stdout) as {
        files: number;
        paths: string[];
        skippedDirectories: string[];
        source: string;
      };
      deepStrictEqual(
        {
          source: listing.source,
          files: listing.files,
          skipped: listing.skippedDirectories,
          paths: listing.paths.slice(0, 3),
        },
        { source: 'local', files: 4, skipped: ['.git'], paths: ['.dockerignore', 'Dockerfile', 'app.txt'] },
      );
      deepStrictEqual(runtime.builds, []);
    });

    it('bad input exits 2 with one line', async () => {
      const root = context();
      const { cli, text } = io(root);
      strictEqual(await buildCommand(['missing', '--list-context'], cli), 2);
      strictEqual(
        text.stderr,
        'error: the build context missing does not exist (not a folder, a git URL or an http(s) URL)\n',
      );
    });
  });
});
