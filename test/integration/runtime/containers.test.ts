/**
 * DockerodeRuntime containers against the real engine: output and exit codes, detach, user networks
 * with aliases, port/cpu settings as the engine records them, typed failures, and cancellation that
 * leaves nothing behind.
 */
import { deepStrictEqual, rejects, strictEqual } from 'node:assert';

import { RuntimeError, type RunResources } from '../../../server/src/engine/ContainerRuntime';
import type { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { getDocker, type DockerEnv } from '../setup';
import { newRun, outputCollector, removeRunResources, runtimeFor, spec, testSignal } from './runtimeFixtures';

const NOTHING: RunResources = { containers: [], networks: [], volumes: [] };

describe('DockerodeRuntime containers (real engine)', function () {
  let env: DockerEnv;
  let runtime: DockerodeRuntime;
  let run: ReturnType<typeof newRun>;

  before(async function () {
    env = await getDocker();
    runtime = await runtimeFor(env);
  });
  beforeEach(() => (run = newRun()));
  afterEach(async () => removeRunResources(runtime, run.runId));

  it('runs to completion with separated output, env, working directory, user and exit code', async () => {
    const output = outputCollector();
    const result = await runtime.runContainer(
      spec({
        name: `${run.runId}-a`,
        args: ['sh', '-c', 'echo "$A"; pwd; id -u; echo oops >&2; exit 3'],
        env: ['A=from env'],
        workingDir: '/tmp',
        user: '1234',
        labels: run.labels,
      }),
      { signal: testSignal(), detach: false, onOutput: output.onOutput },
    );
    deepStrictEqual(
      { exitCode: result.exitCode, ...output.text },
      { exitCode: 3, stdout: 'from env\n/tmp\n1234\n', stderr: 'oops\n' },
    );
    deepStrictEqual(
      await runtime.listRunResources(run.runId, testSignal()),
      NOTHING,
      'AutoRemove removed the container',
    );
  });

  it('delivers all output of a chatty container, to the last line', async () => {
    const output = outputCollector();
    await runtime.runContainer(spec({ name: `${run.runId}-seq`, args: ['seq', '1', '20000'], labels: run.labels }), {
      signal: testSignal(),
      detach: false,
      onOutput: output.onOutput,
    });
    const lines = output.text.stdout.split('\n');
    deepStrictEqual({ count: lines.length, last: lines[lines.length - 2] }, { count: 20001, last: '20000' });
  });

  it('keeps a container without autoRemove and reports its exit code', async () => {
    const name = `${run.runId}-keep`;
    const result = await runtime.runContainer(spec({ name, args: ['true'], autoRemove: false, labels: run.labels }), {
      signal: testSignal(),
      detach: false,
      onOutput: () => undefined,
    });
    strictEqual(result.exitCode, 0);
    deepStrictEqual(await runtime.listRunResources(run.runId, testSignal()), { ...NOTHING, containers: [name] });
  });

  it('detaches: returns once started, with ports, cpus and isolation recorded by the engine', async () => {
    const name = `${run.runId}-detached`;
    const result = await runtime.runContainer(
      spec({
        name,
        args: ['sleep', '600'],
        autoRemove: false,
        ports: ['127.0.0.1::80/tcp'],
        expose: ['9000'],
        cpus: '0.5',
        labels: run.labels,
      }),
      { signal: testSignal(), detach: true, onOutput: () => undefined },
    );
    const inspected = await env.docker.getContainer(name).inspect();
    deepStrictEqual(
      {
        exitCode: result.exitCode,
        running: inspected.State.Running,
        bindings: inspected.HostConfig.PortBindings as unknown,
        nanoCpus: inspected.HostConfig.NanoCpus,
        exposed: Object.keys(inspected.Config.ExposedPorts ?? {}).sort(),
      },
      {
        exitCode: undefined,
        running: true,
        bindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
        nanoCpus: 500_000_000,
        exposed: ['80/tcp', '9000/tcp'],
      },
    );
    await runtime.removeContainer(name, testSignal());
    deepStrictEqual(await runtime.listRunResources(run.runId, testSignal()), NOTHING);
  });

  it('resolves network aliases between two containers on a user network', async () => {
    const network = `${run.runId}-net`;
    await runtime.createNetwork(network, { ipv6: false, labels: run.labels }, testSignal());
    await runtime.runContainer(
      spec({
        name: `${run.runId}-server`,
        args: ['sh', '-c', 'mkdir /www && echo hello-from-server > /www/i && httpd -f -p 8080 -h /www'],
        network,
        networkAliases: ['web'],
        autoRemove: false,
        labels: run.labels,
      }),
      { signal: testSignal(), detach: true, onOutput: () => undefined },
    );
    const output = outputCollector();
    // The client retries inside its container until the server listens (a readiness loop, not a test sleep).
    const client = await runtime.runContainer(
      spec({
        name: `${run.runId}-client`,
        args: ['sh', '-c', 'for i in $(seq 100); do wget -q -O - http://web:8080/i && exit 0; sleep 0.1; done; exit 1'],
        network,
        labels: run.labels,
      }),
      { signal: testSignal(), detach: false, onOutput: output.onOutput },
    );
    deepStrictEqual(
      { exitCode: client.exitCode, stdout: output.text.stdout },
      { exitCode: 0, stdout: 'hello-from-server\n' },
    );
    await runtime.removeContainer(`${run.runId}-server`, testSignal());
    await runtime.removeNetwork(network, testSignal());
    deepStrictEqual(await runtime.listRunResources(run.runId, testSignal()), NOTHING);
  });

  for (const autoRemove of [true, false]) {
    it(`cancelling mid-run kills and removes the container (autoRemove ${autoRemove}) and rethrows the abort reason`, async () => {
      const controller = new AbortController();
      const reason = new Error('cancelled by the test');
      const running = runtime.runContainer(
        spec({
          name: `${run.runId}-long`,
          args: ['sh', '-c', 'echo started; exec sleep 600'],
          autoRemove,
          labels: run.labels,
        }),
        {
          signal: controller.signal,
          detach: false,
          onOutput: (_stream, chunk) => {
            if (chunk.toString().includes('started')) controller.abort(reason);
          },
        },
      );
      await rejects(running, (error: unknown) => error === reason);
      deepStrictEqual(await runtime.listRunResources(run.runId, testSignal()), NOTHING);
    });
  }

  it('a command that cannot start fails with the engine message and leaves no container', async () => {
    await rejects(
      runtime.runContainer(spec({ name: `${run.runId}-bad`, args: ['/no/such/program'], labels: run.labels }), {
        signal: testSignal(),
        detach: false,
        onOutput: () => undefined,
      }),
      (error: unknown) => error instanceof RuntimeError && /no such file or directory|not found/i.test(error.message),
    );
    deepStrictEqual(await runtime.listRunResources(run.runId, testSignal()), NOTHING);
  });

  it('a name already in use is a 409 RuntimeError (ACR keep + retries collide the same way)', async () => {
    const name = `${run.runId}-dup`;
    const keep = spec({ name, args: ['sleep', '600'], autoRemove: false, labels: run.labels });
    await runtime.runContainer(keep, { signal: testSignal(), detach: true, onOutput: () => undefined });
    await rejects(
      runtime.runContainer(keep, { signal: testSignal(), detach: true, onOutput: () => undefined }),
      (error: unknown) => {
        return error instanceof RuntimeError && error.statusCode === 409 && /already in use/.test(error.message);
      },
    );
  });

  it('a missing image is a 404 RuntimeError', async () => {
    await rejects(
      runtime.runContainer(
        spec({ name: `${run.runId}-noimg`, image: 'acrtest/does-not-exist:1', args: ['true'], labels: run.labels }),
        {
          signal: testSignal(),
          detach: false,
          onOutput: () => undefined,
        },
      ),
      (error: unknown) => error instanceof RuntimeError && error.statusCode === 404,
    );
  });

  it('removing an absent container is not an error', async () => {
    await runtime.removeContainer(`${run.runId}-never-existed`, testSignal());
  });

  it('reports the engine it talks to', async () => {
    const info = await runtime.info(testSignal());
    deepStrictEqual(
      { endpoint: info.endpoint, os: info.os, hasVersion: info.serverVersion !== '' && info.apiVersion !== '' },
      { endpoint: env.dockerHost, os: 'linux', hasVersion: true },
    );
  });
});
