/**
 * Builds with the classic builder, pushes to and pulls from the htpasswd registry, with and without
 * credentials, against the real engine and registry.
 */
import { deepStrictEqual, rejects, strictEqual } from 'node:assert';
import * as http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { RegistryError, RuntimeError, type BuildImageOptions } from '../../../server/src/engine/ContainerRuntime';
import type { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { packContext } from '../../../server/src/engine/context/contextPacking';
import { BUSYBOX_IMAGE, getDocker, getRegistry, type DockerEnv, type RegistryEnv } from '../setup';
import { newRun, outputCollector, runtimeFor, spec, testSignal } from './runtimeFixtures';

/** The registry's own digest for a tag (HEAD with basic auth). */
function registryDigest(registry: RegistryEnv, repository: string, tag: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${registry.url}/v2/${repository}/manifests/${tag}`, {
      method: 'HEAD',
      auth: `${registry.username}:${registry.password}`,
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    request.on('response', (response) => {
      response.resume();
      const digest = response.headers['docker-content-digest'];
      resolve(typeof digest === 'string' ? digest : undefined);
    });
    request.on('error', reject);
    request.end();
  });
}

describe('DockerodeRuntime images (real engine and registry)', function () {
  let env: DockerEnv;
  let registry: RegistryEnv;
  let runtime: DockerodeRuntime;
  let contextDir: string;
  const run = newRun();
  const tag = `acrtest/runtime-build:${run.runId}`;

  before(async function () {
    env = await getDocker();
    registry = await getRegistry();
    runtime = await runtimeFor(env);
    contextDir = mkdtempSync(path.join(tmpdir(), 'build-ctx-'));
    mkdirSync(path.join(contextDir, 'docker'));
    writeFileSync(
      path.join(contextDir, 'docker/app.Dockerfile'),
      `FROM ${BUSYBOX_IMAGE} AS base\nARG GREETING=unset\nRUN echo "greeting=$GREETING" > /greeting\nCOPY hello.txt /hello.txt\nFROM base AS final\nRUN echo unused\n`,
    );
    writeFileSync(path.join(contextDir, 'hello.txt'), 'hello\n');
  });
  after(async function () {
    rmSync(contextDir, { recursive: true, force: true });
    for (const image of [tag, `${registry.address}/runtime/app:1`]) {
      await env.docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  function buildOptions(overrides: Partial<BuildImageOptions>, output: string[]): BuildImageOptions {
    return {
      dockerfile: 'docker/app.Dockerfile',
      tags: [tag],
      buildArgs: {},
      noCache: false,
      pull: false,
      labels: run.labels,
      registryAuths: [],
      signal: testSignal(),
      onOutput: (text) => output.push(text),
      ...overrides,
    };
  }

  it('builds with the classic builder: build args, target, tags, labels, streamed output', async () => {
    const packed = await packContext({ contextDir, mode: 'docker-classic', dockerfile: 'docker/app.Dockerfile' });
    const output: string[] = [];
    const { imageId } = await runtime.buildImage(
      packed.stream,
      buildOptions(
        { buildArgs: { GREETING: 'hi there' }, target: 'base', dockerfile: packed.dockerfileInTar! },
        output,
      ),
    );
    const image = await env.docker.getImage(tag).inspect();
    const result = outputCollector();
    await runtime.runContainer(
      spec({ name: `${run.runId}-check`, image: tag, args: ['cat', '/greeting', '/hello.txt'] }),
      {
        signal: testSignal(),
        detach: false,
        onOutput: result.onOutput,
      },
    );
    deepStrictEqual(
      {
        imageId,
        label: image.Config.Labels?.[Object.keys(run.labels)[0]],
        stepLines: output.join('').match(/^Step \d+\/\d+ : .*$/gm),
        stdout: result.text.stdout,
      },
      {
        imageId: image.Id,
        label: run.runId,
        // The classic builder stops at the target stage.
        stepLines: [
          `Step 1/5 : FROM ${BUSYBOX_IMAGE} AS base`,
          'Step 2/5 : ARG GREETING=unset',
          'Step 3/5 : RUN echo "greeting=$GREETING" > /greeting',
          'Step 4/5 : COPY hello.txt /hello.txt',
          `Step 5/5 : LABEL ${Object.keys(run.labels)[0]}=${run.runId}`,
        ],
        stdout: 'greeting=hi there\nhello\n',
      },
    );
  });

  it("surfaces a failing RUN with the engine's message", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'build-fail-'));
    try {
      writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${BUSYBOX_IMAGE}\nRUN echo about to fail && exit 7\n`);
      const packed = await packContext({ contextDir: dir, mode: 'docker-classic', dockerfile: 'Dockerfile' });
      const output: string[] = [];
      await rejects(
        runtime.buildImage(packed.stream, buildOptions({ dockerfile: 'Dockerfile', tags: [] }, output)),
        (error: unknown) => {
          strictEqual(error instanceof RuntimeError, true);
          strictEqual(
            (error as Error).message,
            "The command '/bin/sh -c echo about to fail && exit 7' returned a non-zero code: 7",
          );
          strictEqual(output.join('').includes('about to fail\n'), true);
          return true;
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('push and pull with the htpasswd registry', function () {
    const remote = (): string => `${registry.address}/runtime/app:1`;

    before(async function () {
      await env.docker.getImage(BUSYBOX_IMAGE).tag({ repo: `${registry.address}/runtime/app`, tag: '1' });
    });

    it('pushes with credentials and returns the digest the registry has', async () => {
      const output: string[] = [];
      const result = await runtime.pushImage(remote(), registry.auth, testSignal(), (text) => output.push(text));
      const stored = await registryDigest(registry, 'runtime/app', '1');
      deepStrictEqual({ digest: result.digest, matches: result.digest === stored }, { digest: stored, matches: true });
      strictEqual(output.join('').includes(registry.password), false, 'the password never appears in output');
    });

    it('without credentials the push fails with a 401 RegistryError', async () => {
      await rejects(
        runtime.pushImage(remote(), undefined, testSignal(), () => undefined),
        (error: unknown) => {
          strictEqual(error instanceof RegistryError, true);
          deepStrictEqual(
            { status: (error as RegistryError).status, reference: (error as RegistryError).reference },
            { status: 401, reference: remote() },
          );
          return true;
        },
      );
    });

    it('with a wrong password the push fails with a 401 RegistryError that does not contain the password', async () => {
      const wrong = { ...registry.auth, password: 'not-the-password-x9' };
      await rejects(
        runtime.pushImage(remote(), wrong, testSignal(), () => undefined),
        (error: unknown) => {
          return (
            error instanceof RegistryError && error.status === 401 && !error.message.includes('not-the-password-x9')
          );
        },
      );
    });

    it('pulls back with credentials; an anonymous pull is a 401, a missing tag a 404', async () => {
      await env.docker.getImage(remote()).remove();
      await rejects(
        runtime.pullImage(remote(), undefined, testSignal(), () => undefined),
        (error: unknown) => {
          return error instanceof RegistryError && error.status === 401;
        },
      );
      const lines: string[] = [];
      await runtime.pullImage(remote(), registry.auth, testSignal(), (text) => lines.push(text));
      const pulled = await runtime.inspectImage(remote(), testSignal());
      strictEqual(
        pulled?.repoDigests.some((d) => d.startsWith(`${registry.address}/runtime/app@sha256:`)),
        true,
      );
      await rejects(
        runtime.pullImage(`${registry.address}/runtime/app:missing`, registry.auth, testSignal(), () => undefined),
        (error: unknown) => {
          return error instanceof RegistryError && error.status === 404;
        },
      );
    });

    it('a registry that is not listening is a RegistryError saying connection refused', async () => {
      await env.docker.getImage(BUSYBOX_IMAGE).tag({ repo: '127.0.0.1:1/runtime/app', tag: '1' });
      try {
        await rejects(
          runtime.pushImage('127.0.0.1:1/runtime/app:1', undefined, testSignal(), () => undefined),
          (error: unknown) => {
            return error instanceof RegistryError && /connection refused/.test(error.message);
          },
        );
      } finally {
        await env.docker.getImage('127.0.0.1:1/runtime/app:1').remove();
      }
    });
  });
});
