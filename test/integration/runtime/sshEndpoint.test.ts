/**
 * `DOCKER_HOST=ssh://…` against a real sshd on loopback in front of the real local engine: through an
 * ssh-agent (info, and a whole task run whose containers, volume and network all go over ssh), through the
 * ~/.ssh/id_ed25519 fallback, and clear EngineUnreachableErrors for a key the server refuses, no key at
 * all, and a port nothing listens on.
 */
import { deepStrictEqual } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { EngineUnreachableError, type EngineInfo } from '../../../server/src/engine/ContainerRuntime';
import { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { readFileIfExists } from '../../../server/src/engine/dockerEndpoint';
import type { RunEvent } from '../../../server/src/protocol';
import { NOTHING, runOnEngine, stepStatuses } from '../engine/engineFixtures';
import {
  BUSYBOX_IMAGE,
  generateSshKey,
  getDocker,
  getSshServer,
  startSshAgent,
  type RunningSshAgent,
  type SshServerEnv,
} from '../setup';
import { freeLoopbackPort } from '../setup/network';
import { testSignal } from './runtimeFixtures';

const BB = BUSYBOX_IMAGE;

/** The runtime the product would build for `host`, with this environment and home directory. */
function connect(host: string, env: Record<string, string>, homeDir: string): Promise<DockerodeRuntime> {
  return DockerodeRuntime.fromEnvironment({ host }, {}, { env, homeDir, readFile: readFileIfExists });
}

/** What info() reports, reduced to what identifies the endpoint and the engine behind it. */
function identity(info: EngineInfo): { endpoint: string; serverVersion: string; local: string | undefined } {
  return { endpoint: info.endpoint, serverVersion: info.serverVersion, local: info.localSocketPath };
}

async function unreachable(runtime: Promise<DockerodeRuntime>): Promise<{ endpoint: string; message: string }> {
  let caught: unknown;
  try {
    await (await runtime).info(testSignal());
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof EngineUnreachableError)) {
    throw new Error(`expected EngineUnreachableError, got ${String(caught)}`);
  }
  return { endpoint: caught.endpoint, message: caught.message };
}

/** Stdout and stderr text of every step that wrote something, in the order the events came. */
function outputByStep(events: readonly RunEvent[]): Record<string, { stdout: string; stderr: string }> {
  const byStep: Record<string, { stdout: string; stderr: string }> = {};
  for (const event of events) {
    if (event.type !== 'stepOutput') continue;
    const step = (byStep[event.stepId] ??= { stdout: '', stderr: '' });
    step[event.stream] += event.text;
  }
  return byStep;
}

describe('ssh:// endpoints through a real sshd (DockerodeRuntime)', function () {
  let server: SshServerEnv;
  let engineVersion: string;
  let scratch: string;
  let agent: RunningSshAgent | undefined;
  /** A home directory without any ~/.ssh identity. */
  let emptyHome: string;

  /** A home directory whose ~/.ssh/id_ed25519 is a copy of `keyFile`. */
  function homeWithKey(name: string, keyFile: string): string {
    const home = path.join(scratch, name);
    mkdirSync(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
    copyFileSync(keyFile, path.join(home, '.ssh', 'id_ed25519'));
    return home;
  }

  /** Node warnings raised while the suite runs (docker-modem's ssh URLs used to raise DEP0170). */
  const warnings: string[] = [];
  const onWarning = (warning: Error & { code?: string }) =>
    warnings.push(`${warning.code ?? warning.name}: ${warning.message}`);

  before(async function () {
    process.on('warning', onWarning);
    server = await getSshServer();
    engineVersion = (await (await getDocker()).docker.version()).Version;
    scratch = mkdtempSync(path.join(tmpdir(), 'ssh-endpoint-'));
    emptyHome = path.join(scratch, 'empty-home');
    mkdirSync(emptyHome);
    agent = await startSshAgent(scratch, [server.clientKeyFile]);
  });

  after(async function () {
    process.off('warning', onWarning);
    await agent?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe('through an ssh-agent holding the accepted key', function () {
    let runtime: DockerodeRuntime;

    before(async function () {
      runtime = await connect(server.dockerHost, { SSH_AUTH_SOCK: agent!.socketPath }, emptyHome);
    });

    it('resolves to the agent and reports the engine behind sshd', async () => {
      deepStrictEqual(runtime.endpoint.transport, {
        kind: 'ssh',
        host: '127.0.0.1',
        port: server.port,
        username: server.username,
        agent: agent!.socketPath,
      });
      deepStrictEqual(identity(await runtime.info(testSignal())), {
        endpoint: `ssh://${server.username}@127.0.0.1:${server.port}`,
        serverVersion: engineVersion,
        local: undefined,
      });
    });

    it('runs a task: the second step reads what the first wrote to /workspace and a line of the context', async () => {
      const run = await runOnEngine(
        runtime,
        [
          'steps:',
          `  - {id: write, cmd: "${BB} sh -c 'echo written-by-write > /workspace/note.txt'"}`,
          `  - {id: read, cmd: "${BB} sh -c 'cat /workspace/note.txt; head -n 1 /workspace/greeting.txt'"}`,
        ].join('\n'),
        { files: { 'greeting.txt': 'hello through ssh\nsecond line\n' } },
      );
      deepStrictEqual(
        { status: run.result.status, error: run.result.error, steps: stepStatuses(run.result) },
        {
          status: 'succeeded',
          error: undefined,
          steps: [
            ['write', 'succeeded', 0],
            ['read', 'succeeded', 0],
          ],
        },
      );
      deepStrictEqual(outputByStep(run.events), {
        read: { stdout: 'written-by-write\nhello through ssh\n', stderr: '' },
      });
      const finished = run.events.filter((event) => event.type === 'runFinished').map((event) => event.status);
      deepStrictEqual(finished, ['succeeded']);
      deepStrictEqual(run.result.leftovers, NOTHING);
      // Asked again over ssh after the run: its containers, network and workspace volume are all gone.
      deepStrictEqual(run.leftovers, NOTHING);
    });
  });

  describe('without an agent, the key in ~/.ssh/id_ed25519', function () {
    const cases: Array<{ name: string; home: () => Promise<string>; accepted: boolean }> = [
      {
        name: 'the accepted key',
        home: () => Promise.resolve(homeWithKey('accepted', server.clientKeyFile)),
        accepted: true,
      },
      {
        name: 'a key the server does not accept',
        home: async () => homeWithKey('refused', await generateSshKey(path.join(scratch, 'refused-key', 'id'))),
        accepted: false,
      },
      { name: 'no key at all', home: () => Promise.resolve(emptyHome), accepted: false },
    ];
    for (const { name, home, accepted } of cases) {
      it(`${name}: ${accepted ? 'info() reaches the engine' : 'EngineUnreachableError: SSH authentication failed'}`, async () => {
        const homeDir = await home();
        const endpoint = `ssh://${server.username}@127.0.0.1:${server.port}`;
        if (accepted) {
          const runtime = await connect(server.dockerHost, {}, homeDir);
          deepStrictEqual(runtime.endpoint.transport, {
            kind: 'ssh',
            host: '127.0.0.1',
            port: server.port,
            username: server.username,
            privateKey: readFileSync(server.clientKeyFile),
          });
          deepStrictEqual(identity(await runtime.info(testSignal())), {
            endpoint,
            serverVersion: engineVersion,
            local: undefined,
          });
        } else {
          deepStrictEqual(await unreachable(connect(server.dockerHost, {}, homeDir)), {
            endpoint,
            message:
              `Cannot reach the Docker engine at ${endpoint}: SSH authentication as ${server.username}@127.0.0.1 ` +
              'failed (is ssh-agent running with your key?)',
          });
        }
      });
    }
  });

  it('nothing listening on the port: EngineUnreachableError, connection refused (not a timeout)', async () => {
    const port = await freeLoopbackPort();
    const endpoint = `ssh://${server.username}@127.0.0.1:${port}`;
    deepStrictEqual(await unreachable(connect(endpoint, { SSH_AUTH_SOCK: agent!.socketPath }, emptyHome)), {
      endpoint,
      message: `Cannot reach the Docker engine at ${endpoint}: connection refused by 127.0.0.1:${port} (nothing is listening there)`,
    });
  });

  // Mocha runs a suite's own tests before its nested suites: this one must come after those.
  describe('after the requests above', function () {
    it('no Node deprecation warning was printed for them (users would see it on stderr)', async () => {
      // Warnings are emitted on the next tick; give the last ones of the suite a turn.
      await new Promise((resolve) => setImmediate(resolve));
      deepStrictEqual(
        warnings.filter((warning) => warning.startsWith('DEP')),
        [],
      );
    });
  });
});
