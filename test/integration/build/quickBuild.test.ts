/**
 * Quick builds (`az acr build`, spec §9.1) on the real engine with the htpasswd registry: tags rendered
 * and prefixed, build + push, build args from the environment, secret build args masked everywhere,
 * `--platform`, and the `build` CLI end to end with credentials from a docker config file.
 */
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { buildCommand } from '../../../server/src/cli/buildCommand';
import type { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { randomRunId } from '../../../server/src/engine/run/runId';
import { runQuickBuild, type QuickBuildOptions } from '../../../server/src/engine/quickBuild/runQuickBuild';
import { RunStore } from '../../../server/src/engine/runStore/RunStore';
import type { RunEvent } from '../../../server/src/protocol';
import { runtimeFor } from '../runtime/runtimeFixtures';
import { BUSYBOX_IMAGE, getDocker, getRegistry, type DockerEnv, type RegistryEnv } from '../setup';
import { cliIo, makeTree, registryTags, stepOutput } from './buildFixtures';

const SECRET = 'quick-build-s3cret-9x';
const NOTHING = { containers: [], networks: [], volumes: [] };

describe('quick build on the real engine and registry', function () {
  let env: DockerEnv;
  let registry: RegistryEnv;
  let runtime: DockerodeRuntime;
  const roots: string[] = [];

  before(async function () {
    env = await getDocker();
    registry = await getRegistry();
    runtime = await runtimeFor(env);
  });
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  function context(files: Record<string, string>): string {
    const root = makeTree(files);
    roots.push(root);
    return root;
  }

  async function build(options: Partial<QuickBuildOptions> & Pick<QuickBuildOptions, 'cwd'>) {
    const events: RunEvent[] = [];
    const result = await runQuickBuild({
      runtime,
      context: '.',
      env: {},
      tags: [],
      runId: randomRunId(8),
      onEvent: (event) => events.push(event),
      ...options,
    });
    const leftovers = await runtime.listRunResources(result.runId, AbortSignal.timeout(30_000));
    return { result, events, leftovers };
  }

  it('renders {{.Run.ID}}, prefixes the registry, builds and pushes with credentials; secrets masked', async () => {
    const root = context({
      Dockerfile: `FROM ${BUSYBOX_IMAGE}\nARG GREETING\nARG TOKEN\nCOPY app.txt /app.txt\nRUN echo "greeting=$GREETING token=$TOKEN" && cat /app.txt\n`,
      'app.txt': 'from the context\n',
    });
    const store = new RunStore({ directory: mkdtempSync(path.join(tmpdir(), 'quick-store-')) });
    roots.push(store.directory);
    const { result, events, leftovers } = await build({
      cwd: root,
      env: { GREETING: 'hello from env', TOKEN: SECRET },
      tags: ['quick-it/app:{{.Run.ID}}', 'quick-it/app:latest'],
      buildArgs: ['GREETING'],
      secretBuildArgs: ['TOKEN'],
      // The RUN output is asserted: a cached layer from an earlier run (same engine) would hide it.
      noCache: true,
      registry: registry.address,
      registryAuths: [{ serveraddress: registry.address, username: registry.username, password: registry.password }],
      store,
    });
    const runId = result.runId;
    deepStrictEqual(
      {
        status: result.status,
        steps: result.steps.map((step) => [step.id, step.status]),
        tags: await registryTags(registry, 'quick-it/app'),
        leftovers,
      },
      {
        status: 'succeeded',
        steps: [
          ['build', 'succeeded'],
          ['push', 'succeeded'],
        ],
        tags: [runId, 'latest'].sort(),
        leftovers: NOTHING,
      },
    );
    match(stepOutput(events, 'build'), /greeting=hello from env token=\*\*\*\nfrom the context\n/);
    match(result.steps[1]?.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    const stored = readdirSync(path.join(store.directory, runId)).map((file) =>
      readFileSync(path.join(store.directory, runId, file), 'utf8'),
    );
    for (const text of [JSON.stringify(events), ...stored]) {
      ok(!text.includes(SECRET), 'the secret build arg leaked');
      ok(!text.includes(registry.password), 'the registry password leaked');
    }
    deepStrictEqual(result.dependencies[0]?.image?.reference, `${registry.address}/quick-it/app:${runId}`);
  });

  it('without tags it builds, pushes nothing and says so', async () => {
    const root = context({ Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN true\n` });
    const { result, events, leftovers } = await build({ cwd: root, registry: registry.address });
    deepStrictEqual(
      { status: result.status, steps: result.steps.map((step) => step.id), leftovers },
      { status: 'succeeded', steps: ['build'], leftovers: NOTHING },
    );
    ok(
      events.some(
        (event) =>
          event.type === 'runMessage' &&
          event.level === 'warning' &&
          event.text === 'No image names were given (-t), so nothing is pushed.',
      ),
    );
  });

  it('--platform: the engine platform builds; another one fails clearly instead of building the wrong image', async () => {
    const root = context({ Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN uname -m\n` });
    const native = await build({
      cwd: root,
      platform: `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
      noCache: true,
    });
    strictEqual(native.result.status, 'succeeded', native.result.error);
    const foreign = await build({ cwd: root, platform: 'linux/arm64', noCache: true });
    deepStrictEqual(
      { status: foreign.result.status, leftovers: foreign.leftovers },
      { status: 'failed', leftovers: NOTHING },
    );
    match(
      foreign.result.error ?? '',
      /^failed to run step ID: build: the engine cannot build for linux\/arm64: it built linux\/amd64 instead/,
    );
    ok(
      foreign.events.some(
        (event) =>
          event.type === 'runMessage' && event.text.startsWith('--platform linux/arm64: the engine runs linux/amd64'),
      ),
    );
  });

  it('the build CLI: credentials from the docker config, exit codes, a record, nothing in the arguments', async () => {
    const root = context({ Dockerfile: `FROM ${BUSYBOX_IMAGE}\nARG TOKEN\nRUN echo "token=$TOKEN"\n` });
    const home = mkdtempSync(path.join(tmpdir(), 'quick-cli-home-'));
    roots.push(home);
    mkdirSync(path.join(home, '.docker'));
    writeFileSync(
      path.join(home, '.docker', 'config.json'),
      JSON.stringify({
        auths: {
          [registry.address]: { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') },
        },
      }),
    );
    const cliEnv = { ...env.processEnv, HOME: home, XDG_DATA_HOME: home, TOKEN: SECRET };
    const ok1 = cliIo(root, cliEnv);
    const code = await buildCommand(
      [
        '.',
        '-t',
        'quick-it/cli:{{.Run.ID}}',
        '--registry',
        registry.address,
        '--secret-build-arg',
        'TOKEN',
        '--id',
        'cliit1',
        // The RUN output is asserted: a cached layer from an earlier run would hide it.
        '--no-cache',
      ],
      ok1.io,
    );
    const text = ok1.text();
    strictEqual(code, 0, text.out + text.err);
    deepStrictEqual(await registryTags(registry, 'quick-it/cli'), ['cliit1']);
    match(text.out, /build \| token=\*\*\*/);
    ok(!text.out.includes(SECRET) && !text.err.includes(SECRET));
    match(text.err, /Run record: .*acr-tasks-local\/runs\/cliit1/);

    const denied = cliIo(root, { ...cliEnv, HOME: mkdtempSync(path.join(tmpdir(), 'quick-cli-nohome-')) });
    roots.push(denied.io.env['HOME']!);
    strictEqual(
      await buildCommand(
        ['.', '-t', 'quick-it/cli:denied', '--registry', registry.address, '--id', 'cliit2'],
        denied.io,
      ),
      1,
    );
    match(denied.text().out, /failed to push images successfully/);
  });
});
