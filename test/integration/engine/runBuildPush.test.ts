/**
 * Build → cmd → push against the real engine and the htpasswd registry, secret volumes and masking,
 * and the `run` CLI command end to end.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert';

import { runCommand } from '../../../server/src/cli/runCommand';
import type { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { RunStore } from '../../../server/src/engine/runStore/RunStore';
import type { RunEvent } from '../../../server/src/protocol';
import { BUSYBOX_IMAGE, getDocker, getRegistry, type DockerEnv, type RegistryEnv } from '../setup';
import { runtimeFor } from '../runtime/runtimeFixtures';
import { makeContext, NOTHING, runOnEngine, stepStatuses } from './engineFixtures';

const BB = BUSYBOX_IMAGE;
const SECRET = 'integration-s3cret-Value';

describe('run engine: builds, pushes, secrets (real engine and registry)', function () {
  let env: DockerEnv;
  let registry: RegistryEnv;
  let runtime: DockerodeRuntime;

  before(async function () {
    env = await getDocker();
    registry = await getRegistry();
    runtime = await runtimeFor(env);
  });

  it('builds from the workspace (with a file an earlier step wrote), runs the image, pushes it with credentials, and records dependencies', async () => {
    const image = `${registry.address}/engine-it/app:{{.Run.ID}}`;
    const run = await runOnEngine(
      runtime,
      [
        'steps:',
        `  - {id: generate, cmd: "${BB} sh -c 'echo generated-by-step > app/gen.txt'"}`,
        `  - {id: build, build: "-t ${image} --build-arg GREETING=hi app"}`,
        `  - {id: use, cmd: "${image} sh -c 'cat /gen.txt /greeting.txt'"}`,
        `  - {id: push, push: ["${image}"]}`,
        // pull: true pre-pulls from the registry with the run's credentials
        `  - {id: pulled, cmd: "${image} true", pull: true}`,
      ].join('\n'),
      {
        registry: registry.address,
        registryAuths: [{ serveraddress: registry.address, username: registry.username, password: registry.password }],
        files: {
          'app/Dockerfile': `FROM ${BB}\nARG GREETING\nCOPY gen.txt /gen.txt\nRUN echo "$GREETING" > /greeting.txt\n`,
          'app/.dockerignore': 'ignored.txt\n',
          'app/ignored.txt': 'x',
        },
      },
    );
    deepStrictEqual(
      stepStatuses(run.result).map(([id, status]) => [id, status]),
      [
        ['generate', 'succeeded'],
        ['build', 'succeeded'],
        ['use', 'succeeded'],
        ['push', 'succeeded'],
        ['pulled', 'succeeded'],
      ],
    );
    strictEqual(run.output('use'), 'generated-by-step\nhi\n');
    const push = run.result.steps.find((step) => step.id === 'push');
    match(push?.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    const runId = run.result.runId;
    deepStrictEqual(run.result.dependencies, [
      {
        // 127.0.0.1:port has a dot, so acb takes it as the registry (localhost:port would be a Hub user).
        image: {
          registry: registry.address,
          repository: 'engine-it/app',
          tag: runId,
          digest: push?.digest,
          reference: `${registry.address}/engine-it/app:${runId}`,
        },
        'runtime-dependency': {
          registry: 'registry.hub.docker.com',
          repository: 'acrtest/busybox',
          tag: '1',
          digest: '',
          reference: BB,
        },
        'buildtime-dependency': null,
      },
    ]);
    deepStrictEqual(run.leftovers, NOTHING);
    ok(!JSON.stringify(run.events).includes(registry.password), 'the registry password never appears in events');
  });

  it('a push with wrong credentials fails after 3 attempts with a clear 401 message', async () => {
    const image = `${registry.address}/engine-it/denied:1`;
    const run = await runOnEngine(
      runtime,
      `steps:\n  - {id: tag, build: "-t ${image} ."}\n  - {id: push, push: ["${image}"]}\n`,
      {
        registryAuths: [{ serveraddress: registry.address, username: registry.username, password: 'wrong-password' }],
        files: { Dockerfile: `FROM ${BB}\n` },
      },
    );
    strictEqual(run.result.status, 'failed');
    match(
      run.result.error ?? '',
      new RegExp(
        `^failed to run step ID: push: failed to push images successfully: ${image}: the registry ${registry.address.replace(/\./g, '\\.')} refused the credentials \\(HTTP 401\\)`,
      ),
    );
    strictEqual(run.output('push').match(/Pushing image: .*, attempt \d/g)?.length, 3);
  });

  it('mounts secret volumes and masks the secret in output, commands and the stored run', async () => {
    const store = new RunStore({ directory: mkdtempSync(join(tmpdir(), 'acr-engine-store-')) });
    try {
      const run = await runOnEngine(
        runtime,
        [
          'secrets:',
          '  - {id: token, keyvault: "https://example.vault.azure.net/secrets/token"}',
          'volumes:',
          '  - name: creds',
          '    secret:',
          '      token.txt: {{.Secrets.token | b64enc}}',
          'steps:',
          '  - id: check',
          `    cmd: ${BB} sh -c 'sha256sum /run/creds/token.txt; echo "env=$TOKEN"; base64 /run/creds/token.txt'`,
          '    env: ["TOKEN={{.Secrets.token}}"]',
          '    volumeMounts: [{name: creds, mountPath: /run/creds}]',
        ].join('\n'),
        { secrets: { token: SECRET }, store },
      );
      strictEqual(run.result.status, 'succeeded');
      const digest = createHash('sha256').update(SECRET).digest('hex');
      strictEqual(run.output('check'), `${digest}  /run/creds/token.txt\nenv=***\n***\n`);
      const stored = readdirSync(join(store.directory, run.result.runId)).map((file) =>
        readFileSync(join(store.directory, run.result.runId, file), 'utf8'),
      );
      for (const text of [JSON.stringify(run.events), ...stored]) ok(!text.includes(SECRET), 'secret leaked');
      ok(run.events.some((event) => event.type === 'stepStarted' && event.command.includes('--env TOKEN=***')));
      deepStrictEqual(run.leftovers, NOTHING);
    } finally {
      rmSync(store.directory, { recursive: true, force: true });
    }
  });

  it('the run CLI: JSON events, exit codes, dry run, and a record in the data directory', async () => {
    const dataHome = mkdtempSync(join(tmpdir(), 'acr-engine-cli-'));
    const context = makeContext({
      'acr-task.yaml': `steps:\n  - {id: hi, cmd: "${BB} echo hello {{.Values.who}}"}\n  - {id: bad, cmd: "${BB} false"}\n`,
      'values.yaml': 'who: cli\n',
    });
    const io = () => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      return {
        io: {
          stdout,
          stderr,
          cwd: context,
          env: { ...env.processEnv, XDG_DATA_HOME: dataHome, HOME: dataHome },
          signal: new AbortController().signal,
        },
        text: () => ({ out, err }),
      };
    };
    try {
      const json = io();
      strictEqual(
        await runCommand(['acr-task.yaml', '--values', 'values.yaml', '--json', '--engine', env.dockerHost], json.io),
        1,
      );
      const events = json
        .text()
        .out.trim()
        .split('\n')
        .map((line) => JSON.parse(line) as RunEvent);
      const finished = events[events.length - 1];
      deepStrictEqual(
        finished?.type === 'runFinished' && [
          finished.status,
          finished.error,
          finished.steps.map((step) => step.status),
        ],
        ['failed', 'failed to run step ID: bad: exit status 1', ['succeeded', 'failed']],
      );
      ok(events.some((event) => event.type === 'stepOutput' && event.text === 'hello cli\n'));
      const recorded = readdirSync(join(dataHome, 'acr-tasks-local', 'runs'));
      strictEqual(recorded.length, 1);

      const dry = io();
      strictEqual(
        await runCommand(
          ['acr-task.yaml', '--values', 'values.yaml', '--dry-run', '--id', 'dry1', '--engine', env.dockerHost],
          dry.io,
        ),
        0,
      );
      match(
        dry.text().out,
        /^Dry run dry1 \(nothing is created; engine .*\)\n[\s\S]*DAG levels:\n {2}0: hi\n {2}1: bad\n[\s\S]*Step hi \(cmd, level 0\)\n {2}docker run --rm --network acb_default_network_dry1 --name acb_dry1_hi /,
      );
      deepStrictEqual(await runtime.listRunResources('dry1', AbortSignal.timeout(10_000)), NOTHING);

      writeFileSync(join(context, 'ok.yaml'), `steps:\n  - cmd: ${BB} true\n`);
      const human = io();
      strictEqual(await runCommand(['ok.yaml', '--engine', env.dockerHost], human.io), 0);
      match(human.text().out, /\n==> Step acb_step_0 \(cmd\)\ndocker run --rm /);
      match(human.text().out, /\nRun [a-z0-9]+ succeeded in [\d.]+ s\n {2}acb_step_0 {2}succeeded, exit code 0/);
    } finally {
      rmSync(dataHome, { recursive: true, force: true });
      rmSync(context, { recursive: true, force: true });
    }
  });
});
