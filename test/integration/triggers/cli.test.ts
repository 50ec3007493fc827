/**
 * The headless commands end to end on the real engine: `task create/list/run`, `runs list --json`,
 * `runs logs`, `runs prune`, and `watch` as a child process — an engine-only base image replaced under
 * its tag triggers a run, the first Ctrl+C lets it finish, the second cancels it and cleans up, and
 * the watcher exits 0.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { deepStrictEqual, match, strictEqual } from 'node:assert';

import type { DefinitionsCliDependencies } from '../../../server/src/cli/definitionsCli';
import { runsCommand } from '../../../server/src/cli/runsCommand';
import { taskCommand } from '../../../server/src/cli/taskCommand';
import { RunStore } from '../../../server/src/engine/runStore/RunStore';
import type { RunEvent, WatcherEvent } from '../../../server/src/protocol';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../setup';
import { EventLog, triggerWorld, type TriggerWorld } from './triggerFixtures';

const CLI = join(__dirname, '..', '..', '..', 'server', 'src', 'cli', 'main.js');
const BASE = 'acrtest/cli-trigger-base:latest';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

describe('task, runs and watch commands (real engine)', function () {
  let world: TriggerWorld;
  let folder: string;
  let data: string;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    world = await triggerWorld();
    folder = mkdtempSync(join(tmpdir(), 'acr-cli-triggers-'));
    data = mkdtempSync(join(tmpdir(), 'acr-cli-data-'));
    env = { ...process.env, ...world.env.processEnv, XDG_DATA_HOME: data, HOME: data };
    await ensureBusyboxImage(world.env.docker, BASE, { files: { '/base-version': 'v1\n' } });
    writeFileSync(join(folder, 'Dockerfile'), `FROM ${BASE}\nRUN cat /base-version > /built-on\n`);
    writeFileSync(
      join(folder, 'acr-task.yaml'),
      [
        'steps:',
        '  - build: -t acrtest/cli-trigger-app:latest .',
        // Slow only when the file `slow` is in the context: the triggered run, not the first one.
        `  - cmd: ${BUSYBOX_IMAGE} sh -c 'if [ -f slow ]; then echo sleeping; sleep 120; fi'`,
        '',
      ].join('\n'),
    );
  });

  after(function () {
    rmSync(folder, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  async function cli(
    command: typeof taskCommand,
    argv: string[],
    dependencies: DefinitionsCliDependencies = {},
  ): Promise<Captured> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk));
    stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const code = await command(
      argv,
      { stdout, stderr, cwd: folder, env, signal: new AbortController().signal },
      dependencies,
    );
    return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  }

  it('creates, lists and runs a task; lists its runs as JSON, shows the masked log, prunes by retention', async function () {
    const created = await cli(taskCommand, [
      'create',
      '--name',
      'app',
      '--file',
      'acr-task.yaml',
      '--context',
      '.',
      '--commit-trigger-enabled',
      'false',
      '--timeout',
      '600',
    ]);
    deepStrictEqual([created.code, created.stderr], [0, '']);
    const listed = await cli(taskCommand, ['list']);
    match(
      listed.stdout,
      /^app {2}Enabled {2}acr-task\.yaml {2}never ran\n {4}base image: Runtime, runs once before it can be triggered/,
    );

    const ran = await cli(taskCommand, ['run', '--name', 'app']);
    strictEqual(ran.code, 0, ran.stdout + ran.stderr);
    match(ran.stdout, /Task app: started by hand/);

    const runs = await cli(runsCommand, ['list', '--task', 'app', '--json']);
    const entries = runs.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    strictEqual(entries.length, 1);
    const [entry] = entries;
    deepStrictEqual(
      [
        entry?.['task'],
        entry?.['trigger'],
        entry?.['status'],
        typeof entry?.['id'],
        typeof entry?.['startedAt'],
        typeof entry?.['finishedAt'],
      ],
      ['app', 'manual', 'succeeded', 'string', 'string', 'string'],
    );
    const logs = await cli(runsCommand, ['logs', String(entry?.['id'])]);
    match(
      logs.stdout,
      new RegExp(`^Run ${String(entry?.['id'])}: .*acr-task\\.yaml .*trigger manual\\)\\nTask app: started by hand\\n`),
    );
    const listedAgain = await cli(taskCommand, ['list']);
    match(listedAgain.stdout, /base image: Runtime, watching acrtest\/cli-trigger-base:latest \(from run /);

    // Prune: nothing is 30 days old; a store whose clock is 31 days ahead removes the run unless archived.
    strictEqual((await cli(runsCommand, ['prune'])).stdout, 'Removed 0 run(s) finished more than 30 days ago\n');
    const future = (days?: number) =>
      new RunStore({
        directory: join(data, 'acr-tasks-local', 'runs'),
        retentionDays: days ?? 30,
        now: () => new Date(Date.now() + 31 * 86_400_000),
      });
    await future().setArchived(String(entry?.['id']), true);
    const kept = await cli(runsCommand, ['prune'], { store: future });
    deepStrictEqual([kept.code, kept.stdout], [0, 'Removed 0 run(s) finished more than 30 days ago\n']);
    await future().setArchived(String(entry?.['id']), false);
    const removed = await cli(runsCommand, ['prune', '--retention-days', '30'], { store: future });
    deepStrictEqual(removed.stdout, `Removed 1 run(s) finished more than 30 days ago: ${String(entry?.['id'])}\n`);
    strictEqual((await cli(runsCommand, ['list', '--json'])).stdout, '');
  });

  it('watch: an engine-only base replaced under its tag triggers a run; Ctrl+C lets it finish, a second cancels it', async function () {
    this.timeout(240_000);
    await ensureBusyboxImage(world.env.docker, BASE, { files: { '/base-version': 'v1\n' } });
    const first = await cli(taskCommand, ['run', '--name', 'app']);
    strictEqual(first.code, 0, first.stdout + first.stderr);
    writeFileSync(join(folder, 'slow'), 'yes\n');
    const child = spawn(process.execPath, [CLI, 'watch', '--poll', '2', '--json', '--logs'], {
      cwd: folder,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const events = new EventLog<WatcherEvent | RunEvent>();
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line !== '') events.push(JSON.parse(line) as WatcherEvent | RunEvent);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await events.waitFor('the watcher to start', (event) => event.type === 'started', 30_000);
      await ensureBusyboxImage(world.env.docker, BASE, { files: { '/base-version': 'v2\n' } });
      const started = await events.waitFor(
        'the triggered run',
        (event) => event.type === 'runStarted' && 'task' in event && event.trigger === 'imageUpdate',
        30_000,
      );
      const runId = started.type === 'runStarted' ? started.runId : '';
      await events.waitFor(
        'the slow step',
        (event) => event.type === 'stepOutput' && event.text.includes('sleeping'),
        60_000,
      );

      child.kill('SIGINT');
      const stopping = await events.waitFor('stopping', (event) => event.type === 'stopping', 10_000);
      deepStrictEqual(stopping, { type: 'stopping', running: 1, mode: 'finish' });
      child.kill('SIGINT');
      const finished = await events.waitFor(
        'the run to be cancelled',
        (event) => event.type === 'runFinished' && 'task' in event,
        60_000,
      );
      deepStrictEqual(finished.type === 'runFinished' && [finished.runId, finished.status], [runId, 'cancelled']);
      await events.waitFor('stopped', (event) => event.type === 'stopped', 30_000);
      strictEqual(await exited, 0, stderr);
      deepStrictEqual(await world.runtime.listRunResources(runId, AbortSignal.timeout(30_000)), {
        containers: [],
        networks: [],
        volumes: [],
      });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(join(folder, 'slow'), { force: true });
    }
  });
});
