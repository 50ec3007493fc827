/**
 * The run engine against the real Docker engine: DAG order with parallel branches, failure and
 * ignoreErrors, retries, timeouts, env merge, working directories, a detached server reached by its
 * step id, cancel, and an engine that cannot be reached. Every run must leave nothing behind.
 */
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert';

import { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import type { RunEvent } from '../../../server/src/protocol';
import { BUSYBOX_IMAGE, getDocker } from '../setup';
import { runtimeFor } from '../runtime/runtimeFixtures';
import { NOTHING, runOnEngine, stepStatuses } from './engineFixtures';

const BB = BUSYBOX_IMAGE;

describe('run engine on a real Docker engine', function () {
  let runtime: DockerodeRuntime;

  before(async function () {
    runtime = await runtimeFor(await getDocker());
  });

  it('edge case 7: parallel roots, c after b only, d after a and c (order seen through the shared workspace)', async () => {
    const run = await runOnEngine(
      runtime,
      [
        'steps:',
        `  - {id: a, cmd: "${BB} sh -c 'sleep 2; echo a >> order'"}`,
        `  - {id: b, cmd: "${BB} sh -c 'echo b >> order'", when: ["-"]}`,
        `  - {id: c, cmd: "${BB} sh -c 'echo c >> order'"}`,
        `  - {id: d, cmd: "${BB} cat order", when: [a, c]}`,
      ].join('\n'),
    );
    deepStrictEqual(stepStatuses(run.result), [
      ['a', 'succeeded', 0],
      ['b', 'succeeded', 0],
      ['c', 'succeeded', 0],
      ['d', 'succeeded', 0],
    ]);
    strictEqual(run.output('d'), 'b\nc\na\n');
    deepStrictEqual(run.leftovers, NOTHING);
  });

  it('edge case 10: ignoreErrors continues, a failure kills the parallel sleeper and skips dependents', async () => {
    const started = Date.now();
    const run = await runOnEngine(
      runtime,
      [
        'steps:',
        `  - {id: a, cmd: "${BB} false", ignoreErrors: true}`,
        `  - {id: b, cmd: "${BB} true"}`,
        `  - {id: c, cmd: "${BB} sleep 60", when: ["-"]}`,
        `  - {id: d, cmd: "${BB} sh -c 'exit 7'", when: [b]}`,
        `  - {id: e, cmd: "${BB} true", when: [d]}`,
      ].join('\n'),
    );
    deepStrictEqual(
      run.result.steps.map((step) => [step.id, step.status, step.exitCode, step.errorIgnored]),
      [
        ['a', 'failed', 1, true],
        ['b', 'succeeded', 0, undefined],
        ['c', 'cancelled', undefined, undefined],
        ['d', 'failed', 7, undefined],
        ['e', 'skipped', undefined, undefined],
      ],
    );
    deepStrictEqual([run.result.status, run.result.error], ['failed', 'failed to run step ID: d: exit status 7']);
    ok(Date.now() - started < 40_000, 'the sleeper was killed, not waited for');
    deepStrictEqual(run.leftovers, NOTHING);
  });

  it('retries a failed container (state kept in the workspace between attempts)', async () => {
    const run = await runOnEngine(
      runtime,
      `steps:\n  - {id: flaky, cmd: "${BB} sh -c 'if [ -f marker ]; then echo second; else touch marker; echo first; exit 1; fi'", retries: 2, retryDelay: 1}\n`,
    );
    deepStrictEqual(stepStatuses(run.result), [['flaky', 'succeeded', 0]]);
    strictEqual(run.output('flaky'), 'first\nsecond\n');
    deepStrictEqual(run.leftovers, NOTHING);
  });

  it('a step timeout kills the container and fails the run', async () => {
    const started = Date.now();
    const run = await runOnEngine(runtime, `steps:\n  - {id: slow, cmd: "${BB} sleep 60", timeout: 2}\n`);
    deepStrictEqual(
      [run.result.status, run.result.error, run.result.steps[0]?.status],
      ['failed', 'failed to run step ID: slow: timed out', 'timedOut'],
    );
    ok(Date.now() - started < 40_000);
    deepStrictEqual(run.leftovers, NOTHING);
  });

  it('edge case 20: env merge order; HOME is /acb/home', async () => {
    const run = await runOnEngine(
      runtime,
      `env: ["A=task", "B=task"]\nsteps:\n  - {id: s, cmd: "${BB} sh -c 'echo $HOME $A $B $D'", env: ["A=step", "D=1", "A=dup"]}\n`,
    );
    strictEqual(run.output('s'), '/acb/home dup task 1\n');
  });

  it('working directories: relative, absolute with .., and disableWorkingDirectoryOverride (edge cases 46, 47)', async () => {
    const run = await runOnEngine(
      runtime,
      [
        'steps:',
        `  - {id: rel, cmd: "${BB} pwd", workingDirectory: src}`,
        `  - {id: abs, cmd: "${BB} pwd", workingDirectory: /abs/../path/}`,
        `  - {id: image, cmd: "${BB} pwd", workingDirectory: src, disableWorkingDirectoryOverride: true}`,
        `  - {id: default, cmd: "${BB} ls"}`,
      ].join('\n'),
      { files: { 'src/file.txt': 'x' } },
    );
    deepStrictEqual(
      [run.output('rel'), run.output('abs'), run.output('image'), run.output('default')],
      ['/workspace/src\n', '/path\n', '/\n', 'src\n'],
    );
  });

  it('mounts the Docker socket of a local engine and the home volume with the docker config', async () => {
    const run = await runOnEngine(
      runtime,
      `steps:\n  - {id: s, cmd: "${BB} sh -c 'test -S /var/run/docker.sock && echo socket; cat $HOME/.docker/config.json'"}\n`,
    );
    const [first, ...rest] = run.output('s').split('\n');
    deepStrictEqual(
      [first, JSON.parse(rest.join('\n'))],
      ['socket', { auths: {}, experimental: 'enabled', HttpHeaders: { 'X-Meta-Source-Client': 'azure/acr/tasks' } }],
    );
  });

  it('a detached server step is reached by its step id from a later step, and removed at the end', async () => {
    const run = await runOnEngine(
      runtime,
      [
        'steps:',
        `  - {id: web, cmd: "${BB} httpd -f -p 8080 -h /workspace/site", detach: true}`,
        `  - {id: client, cmd: "${BB} wget -q -O - http://web:8080/index.html", retries: 5, retryDelay: 1}`,
      ].join('\n'),
      { files: { 'site/index.html': '<h1>hello from web</h1>\n' } },
    );
    deepStrictEqual(stepStatuses(run.result), [
      ['web', 'succeeded', undefined],
      ['client', 'succeeded', 0],
    ]);
    strictEqual(run.output('client'), '<h1>hello from web</h1>\n');
    deepStrictEqual(run.leftovers, NOTHING);
  });

  it('cancel stops the running container and leaves nothing behind', async () => {
    const controller = new AbortController();
    const run = await runOnEngine(
      runtime,
      `steps:\n  - {id: long, cmd: "${BB} sh -c 'echo ready; sleep 60'"}\n  - {id: never, cmd: "${BB} true"}\n`,
      {
        signal: controller.signal,
        onEvent: (event: RunEvent) => {
          if (event.type === 'stepOutput' && event.text.includes('ready')) controller.abort();
        },
      },
    );
    deepStrictEqual(
      [run.result.status, stepStatuses(run.result)],
      [
        'cancelled',
        [
          ['long', 'cancelled', undefined],
          ['never', 'skipped', undefined],
        ],
      ],
    );
    deepStrictEqual(run.leftovers, NOTHING);
  });

  it('fails clearly when the engine cannot be reached', async () => {
    const unreachable = await DockerodeRuntime.fromEnvironment({ host: 'unix:///nonexistent/docker.sock' });
    const run = await runOnEngine(unreachable, `steps:\n  - cmd: ${BB} true\n`);
    strictEqual(run.result.status, 'failed');
    match(run.result.error ?? '', /^Cannot reach the Docker engine at unix:\/\/\/nonexistent\/docker\.sock: /);
    deepStrictEqual(
      run.events.map((event) => event.type),
      ['runStarted', 'runMessage', 'runFinished'],
    );
  });
});
