import * as assert from 'node:assert/strict';
import { EngineUnreachableError, RegistryError } from '../../../server/src/engine/ContainerRuntime';
import type { RunEvent } from '../../../server/src/protocol';
import { FakeRuntime } from './fakeRuntime';
import { contextDir, run } from './runHarness';

const NOTHING = { containers: [], networks: [], volumes: [] };

function finishedSteps(events: RunEvent[]) {
  return events.flatMap((event) =>
    event.type === 'stepFinished'
      ? [[event.stepId, event.status, event.exitCode, event.error, event.errorIgnored]]
      : [],
  );
}

describe('runTask against a fake engine', () => {
  it('runs a step, streams its output, and removes everything it created', async () => {
    const runtime = new FakeRuntime();
    const { result, events, leftovers } = await run(runtime, 'steps:\n  - {id: hello, cmd: fake echo hi there}\n', {
      registry: 'localhost:5000',
      registryAuths: [{ serveraddress: 'localhost:5000', username: 'u', password: 'p4ss' }],
    });
    assert.deepEqual(
      [result.status, result.steps.map((step) => [step.id, step.status, step.exitCode])],
      ['succeeded', [['hello', 'succeeded', 0]]],
    );
    assert.deepEqual(leftovers, NOTHING);
    assert.deepEqual(
      events.map((event) => event.type).filter((type) => type !== 'runMessage'),
      ['runStarted', 'stepStarted', 'stepOutput', 'stepFinished', 'runFinished'],
    );
    const started = events.find((event) => event.type === 'runStarted');
    assert.deepEqual(
      started?.type === 'runStarted' && [
        started.steps,
        started.runVariables['ID'],
        started.runVariables['SharedVolume'],
        started.runVariables['Registry'],
        /^\d{8}-\d{6}z$/.test(started.runVariables['Date']),
      ],
      [[{ id: 'hello', kind: 'cmd', dependsOn: [], level: 0 }], 'r1', 'acb_vol_r1', 'localhost:5000', true],
    );
    assert.deepEqual(
      events.filter((event) => event.type === 'stepOutput').map((event) => event.type === 'stepOutput' && event.text),
      ['hi there\n'],
    );
    assert.deepEqual(runtime.ops('createVolume'), ['acb_vol_r1', 'acb_home_r1']);
    assert.deepEqual(runtime.ops('createNetwork'), ['acb_default_network_r1']);
  });

  it('copies the context into the workspace and writes the home docker config with the logins', async () => {
    const runtime = new FakeRuntime();
    let workspace: string[] = [];
    let config: unknown;
    runtime.onRun = (_spec, _options, fake) => {
      workspace = [...(fake.volumes.get('acb_vol_r1')?.files.keys() ?? [])].sort();
      config = JSON.parse(fake.file('acb_home_r1', '.docker/config.json') ?? 'null');
      return Promise.resolve(0);
    };
    await run(runtime, 'steps: [{cmd: fake}]\n', {
      contextDir: contextDir({ 'a.txt': 'a', 'src/b.txt': 'b', '.git/HEAD': 'x' }),
      registry: 'localhost:5000',
      registryAuths: [{ serveraddress: 'localhost:5000', username: 'u', password: 'p4ss' }],
    });
    assert.deepEqual(workspace, ['a.txt', 'src/b.txt']);
    assert.deepEqual(config, {
      auths: { 'localhost:5000': { auth: Buffer.from('u:p4ss').toString('base64') } },
      experimental: 'enabled',
      HttpHeaders: { 'X-Meta-Source-Client': 'azure/acr/tasks' },
    });
  });

  it('edge case 10: ignoreErrors goes on, a real failure kills the running step, dependents never start', async () => {
    const runtime = new FakeRuntime();
    const { result, events, leftovers } = await run(
      runtime,
      [
        'steps:',
        '  - {id: a, cmd: fake fail 3, ignoreErrors: true}',
        '  - {id: b, cmd: fake}',
        '  - {id: c, cmd: fake sleep 60000, when: ["-"]}',
        '  - {id: d, cmd: fake sleep 20 --then fail 1, when: [b]}',
        '  - {id: e, cmd: fake, when: [d]}',
      ].join('\n'),
    );
    assert.equal(result.status, 'failed');
    assert.equal(result.error, 'failed to run step ID: d: exit status 1');
    assert.deepEqual(finishedSteps(events).sort(), [
      ['a', 'failed', 3, 'exit status 3', true],
      ['b', 'succeeded', 0, undefined, undefined],
      ['c', 'cancelled', undefined, 'cancelled', undefined],
      ['d', 'failed', 1, 'exit status 1', undefined],
    ]);
    assert.deepEqual(result.steps.find((step) => step.id === 'e')?.status, 'skipped');
    assert.deepEqual(runtime.ops('killed'), ['acb_r1_c']);
    assert.deepEqual(leftovers, NOTHING);
  });

  it('refuses a task whose when lists an id twice, before creating anything (edge case 9)', async () => {
    const runtime = new FakeRuntime();
    const { result } = await run(runtime, 'steps:\n  - {id: a, cmd: fake}\n  - {id: b, cmd: fake, when: [a, a]}\n');
    assert.equal(result.status, 'failed');
    assert.match(
      result.error ?? '',
      /\nacr-task\.yaml:3:\d+: error: step 'b' lists 'a' twice in when: .*\[when-duplicate\]$/,
    );
    assert.deepEqual([runtime.ops('createVolume'), runtime.ops('start')], [[], []]);
  });

  it('reports task-file errors with their location and runs nothing', async () => {
    const runtime = new FakeRuntime();
    const { result, events } = await run(runtime, 'steps:\n  - {id: a, cmd: fake, retries: -1}\n');
    assert.equal(result.status, 'failed');
    assert.match(result.error ?? '', /^the task file has errors:\nacr-task\.yaml:2:\d+: error: /);
    assert.deepEqual(
      events.map((event) => event.type),
      ['runStarted', 'runMessage', 'runFinished'],
    );
  });

  it('a step timeout fails the step and the run; retries share the one deadline', async () => {
    const runtime = new FakeRuntime();
    const { result, events } = await run(
      runtime,
      'steps:\n  - {id: slow, cmd: fake sleep 30 --then fail 1, timeout: 5, retries: 9, retryDelay: 1}\n',
    );
    assert.deepEqual([result.status, result.error], ['failed', 'failed to run step ID: slow: timed out']);
    assert.deepEqual(finishedSteps(events)[0]?.slice(0, 2), ['slow', 'timedOut']);
    assert.ok((runtime.runCounts.get('acb_r1_slow') ?? 0) <= 2);
  });

  it('the run timeout stops everything and cleans up', async () => {
    const runtime = new FakeRuntime();
    const { result, leftovers } = await run(
      runtime,
      'steps:\n  - {id: a, cmd: fake sleep 60000}\n  - {id: b, cmd: fake, when: ["-"], detach: true}\n',
      { timeoutSeconds: 5 },
    );
    assert.deepEqual([result.status, result.error], ['timedOut', 'timed out']);
    assert.deepEqual(leftovers, NOTHING);
  });

  it('cancelling from outside stops the run and leaves nothing behind', async () => {
    const runtime = new FakeRuntime();
    const controller = new AbortController();
    runtime.onRun = async (spec, options, fake) => {
      controller.abort();
      return fake.script(spec, options);
    };
    const { result, leftovers } = await run(
      runtime,
      'steps:\n  - {id: a, cmd: fake sleep 60000}\n  - {id: b, cmd: fake}\n',
      { signal: controller.signal },
    );
    assert.deepEqual([result.status, result.steps.map((step) => step.status)], ['cancelled', ['cancelled', 'skipped']]);
    assert.deepEqual(leftovers, NOTHING);
  });

  it('retries a flaky container and waits startDelay before the first attempt', async () => {
    const runtime = new FakeRuntime();
    const { result, events } = await run(
      runtime,
      'steps:\n  - {id: f, cmd: fake flaky 2, retries: 2, retryDelay: 1, startDelay: 4}\n',
    );
    assert.equal(result.status, 'succeeded');
    assert.equal(runtime.runCounts.get('acb_r1_f'), 3);
    const stepStart = Date.parse(
      (events.find((event) => event.type === 'stepStarted') as { startedAt: string }).startedAt,
    );
    const firstContainer = runtime.calls.find((call) => call.op === 'start');
    assert.ok(firstContainer !== undefined);
    assert.ok(Date.now() - stepStart >= 40, 'the step took at least its start delay');
  });

  it('a detached step ends once started; its container stays until cleanup', async () => {
    const runtime = new FakeRuntime();
    let serverRunningDuringNext = false;
    runtime.onRun = (spec, options, fake) => {
      if (spec.name === 'acb_r1_client')
        serverRunningDuringNext = fake.containers.get('acb_r1_server')?.running === true;
      return fake.script(spec, options);
    };
    const { result, leftovers } = await run(
      runtime,
      'steps:\n  - {id: server, cmd: fake, detach: true}\n  - {id: client, cmd: fake}\n',
    );
    assert.deepEqual([result.status, serverRunningDuringNext, leftovers], ['succeeded', true, NOTHING]);
  });

  it('fails clearly when the engine cannot be reached', async () => {
    const runtime = new FakeRuntime();
    runtime.engineInfo = new EngineUnreachableError('unix:///nowhere.sock', 'connect ENOENT /nowhere.sock');
    const { result, events } = await run(runtime, 'steps: [{cmd: fake}]\n');
    assert.deepEqual(
      [result.status, result.error],
      ['failed', 'Cannot reach the Docker engine at unix:///nowhere.sock: connect ENOENT /nowhere.sock'],
    );
    assert.deepEqual(
      events.map((event) => event.type),
      ['runStarted', 'runMessage', 'runFinished'],
    );
  });
});

describe('push steps (spec §5.10)', () => {
  it('pushes each normalised image with up to 3 attempts and the ACR back-off', async () => {
    const runtime = new FakeRuntime();
    let failures = 2;
    runtime.onPush = () =>
      failures-- > 0
        ? Promise.reject(new RegistryError('connect ECONNREFUSED 127.0.0.1:5000', 'localhost:5000/app:1'))
        : Promise.resolve({ digest: 'sha256:abc' });
    const { result } = await run(
      runtime,
      'steps:\n  - push: ["localhost:5000/app:1", "localhost:5000/app:1", "other"]\n',
      {
        registryAuths: [{ serveraddress: 'localhost:5000', username: 'u', password: 'p' }],
        timing: { msPerSecond: 1000 },
      },
    );
    const pushes = runtime.calls.filter((call) => call.op === 'push');
    assert.deepEqual(
      pushes.map((call) => [call.name, call.detail]),
      [
        ['localhost:5000/app:1', 'localhost:5000'],
        ['localhost:5000/app:1', 'localhost:5000'],
        ['localhost:5000/app:1', 'localhost:5000'],
        ['other:latest', undefined],
      ],
    );
    const gaps = [pushes[1].at - pushes[0].at, pushes[2].at - pushes[1].at];
    assert.ok(gaps[0] >= 245 && gaps[1] >= 495, `back-off ${JSON.stringify(gaps)}`);
    assert.deepEqual([result.status, result.steps[0]?.digest], ['succeeded', 'sha256:abc']);
  });

  it('gives up after 3 attempts with a clear registry error', async () => {
    const runtime = new FakeRuntime();
    runtime.onPush = (reference) =>
      Promise.reject(new RegistryError('unauthorized: authentication required', reference, 401));
    const { result } = await run(runtime, 'steps:\n  - push: ["localhost:5000/app:1"]\n');
    assert.equal(runtime.ops('push').length, 3);
    assert.equal(
      result.error,
      'failed to run step ID: acb_step_0: failed to push images successfully: localhost:5000/app:1: the registry localhost:5000 refused the credentials (HTTP 401); log in with `docker login localhost:5000` or pass credentials for it',
    );
  });
});
