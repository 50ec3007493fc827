/**
 * Remote engines: the shared build host of a team, reached over TCP with mutual TLS (a second dockerd on
 * a loopback port with certificates the harness generates). Quick builds and task runs must give the same
 * results there as on the local socket — checked side by side, through the library and through the CLI
 * as a separate process that only gets DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH.
 */
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import type { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { runQuickBuild } from '../../../server/src/engine/quickBuild/runQuickBuild';
import { randomRunId } from '../../../server/src/engine/run/runId';
import type { RunEvent, RunFinishedEvent } from '../../../server/src/protocol';
import { runtimeFor } from '../runtime/runtimeFixtures';
import { BUSYBOX_IMAGE, getDocker, getRegistry, getTlsDocker, type DockerEnv, type RegistryEnv } from '../setup';
import { ctxLines, makeTree, registryTags, stepOutput } from './buildFixtures';

const execFileAsync = promisify(execFile);
const CLI = path.resolve(__dirname, '../../../server/src/cli/main.js');
const NOTHING = { containers: [], networks: [], volumes: [] };

describe('remote engine over TCP+TLS: the same results as the local socket', function () {
  let engines: { name: string; env: DockerEnv; runtime: DockerodeRuntime }[];
  let registry: RegistryEnv;
  let context: string;
  let home: string;

  before(async function () {
    const [local, tls] = await Promise.all([getDocker(), getTlsDocker()]);
    registry = await getRegistry();
    engines = [
      { name: 'local', env: local, runtime: await runtimeFor(local) },
      { name: 'tls', env: tls, runtime: await runtimeFor(tls) },
    ];
    context = makeTree({
      Dockerfile: `FROM ${BUSYBOX_IMAGE}\nARG WHO\nCOPY . /ctx\nRUN echo "built for $WHO" && find /ctx | sort\n`,
      '.dockerignore': '*.tmp\n',
      'app/main.sh': 'echo hi\n',
      'scratch.tmp': 'x',
      'acr-task.yaml': [
        'steps:',
        `  - {id: write, cmd: "${BUSYBOX_IMAGE} sh -c 'echo from-step > app/generated.txt'"}`,
        `  - {id: image, build: "-t ${registry.address}/tls-it/task:{{.Run.ID}} ."}`,
        `  - {id: use, cmd: "${registry.address}/tls-it/task:{{.Run.ID}} cat /ctx/app/generated.txt"}`,
        `  - {id: push, push: ["${registry.address}/tls-it/task:{{.Run.ID}}"]}`,
        '',
      ].join('\n'),
    });
    home = mkdtempSync(path.join(tmpdir(), 'tls-it-home-'));
    mkdirSync(path.join(home, '.docker'));
    writeFileSync(
      path.join(home, '.docker', 'config.json'),
      JSON.stringify({
        auths: {
          [registry.address]: { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') },
        },
      }),
    );
  });
  after(() => {
    rmSync(context, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('a quick build with a push: same steps, same context in the image, pushed from both', async () => {
    const results = [];
    for (const { name, runtime } of engines) {
      const events: RunEvent[] = [];
      const runId = randomRunId(8);
      const result = await runQuickBuild({
        runtime,
        context: '.',
        cwd: context,
        env: { WHO: 'everyone' },
        tags: [`tls-it/quick:${name}-{{.Run.ID}}`],
        buildArgs: ['WHO'],
        registry: registry.address,
        registryAuths: [{ serveraddress: registry.address, username: registry.username, password: registry.password }],
        noCache: true,
        runId,
        onEvent: (event) => events.push(event),
      });
      const uploaded = result.plan.buildWords[result.plan.buildWords.indexOf('-f') + 1];
      results.push({
        status: result.status,
        error: result.error,
        steps: result.steps.map((step) => [step.id, step.status]),
        files: ctxLines(stepOutput(events, 'build'))
          .map((line) => line.replace(uploaded, '<uploaded Dockerfile>'))
          .sort(),
        greeting: /^built for .*$/m.exec(stepOutput(events, 'build'))?.[0],
        pushed: (await registryTags(registry, 'tls-it/quick')).includes(`${name}-${runId}`),
        leftovers: await runtime.listRunResources(runId, AbortSignal.timeout(30_000)),
      });
    }
    deepStrictEqual(results[1], results[0]);
    deepStrictEqual(
      {
        status: results[0]?.status,
        greeting: results[0]?.greeting,
        pushed: results[0]?.pushed,
        leftovers: results[0]?.leftovers,
      },
      { status: 'succeeded', greeting: 'built for everyone', pushed: true, leftovers: NOTHING },
    );
    ok(results[0]?.files.includes('/ctx/<uploaded Dockerfile>') && !results[0]?.files.includes('/ctx/scratch.tmp'));
  });

  /** The CLI as a separate process; the engine comes from the environment only, as a user would set it. */
  async function cli(args: string[], engine: DockerEnv): Promise<{ code: number; events: RunEvent[]; stderr: string }> {
    const result = await execFileAsync(process.execPath, [CLI, ...args, '--json'], {
      cwd: context,
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_DATA_HOME: home, ...engine.processEnv },
      maxBuffer: 32 * 1024 * 1024,
    }).then(
      (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
      (failed: { code?: number; stdout?: string; stderr?: string }) => ({
        code: failed.code ?? -1,
        stdout: failed.stdout ?? '',
        stderr: failed.stderr ?? '',
      }),
    );
    const events = result.stdout
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as RunEvent);
    return { code: result.code, events, stderr: result.stderr };
  }

  function finished(events: readonly RunEvent[]): RunFinishedEvent | undefined {
    return events.find((event): event is RunFinishedEvent => event.type === 'runFinished');
  }

  it('the CLI: a task run (cmd, build from the workspace, run the image, push) and a quick build', async () => {
    const outcomes = [];
    for (const { name, env } of engines) {
      const run = await cli(['run', 'acr-task.yaml', '.', '--registry', registry.address, '--id', randomRunId(8)], env);
      const build = await cli(
        ['build', '.', '-t', `tls-it/cli:${name}`, '--registry', registry.address, '--no-cache'],
        env,
      );
      const runStarted = run.events.find((event) => event.type === 'runStarted');
      outcomes.push({
        codes: [run.code, build.code],
        run: finished(run.events)?.steps.map((step) => [step.id, step.status]),
        use: stepOutput(run.events, 'use'),
        build: finished(build.events)?.steps.map((step) => [step.id, step.status]),
        engine: runStarted?.type === 'runStarted' ? runStarted.engine : undefined,
      });
    }
    const [local, tls] = outcomes;
    match(tls?.engine ?? '', /^tcp:\/\/127\.0\.0\.1:\d+/);
    deepStrictEqual({ ...tls, engine: undefined }, { ...local, engine: undefined });
    deepStrictEqual(
      { codes: local?.codes, run: local?.run, use: local?.use, build: local?.build },
      {
        codes: [0, 0],
        run: [
          ['write', 'succeeded'],
          ['image', 'succeeded'],
          ['use', 'succeeded'],
          ['push', 'succeeded'],
        ],
        use: 'from-step\n',
        build: [
          ['build', 'succeeded'],
          ['push', 'succeeded'],
        ],
      },
    );
    deepStrictEqual(await registryTags(registry, 'tls-it/cli'), ['local', 'tls']);
    strictEqual(engines.length, 2);
  });
});
