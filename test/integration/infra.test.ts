/**
 * Smoke tests of the integration infrastructure itself (test/integration/setup): each real part works the
 * way the engine and CLI tests rely on. A failure here means "the machine", not "the product".
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  BUSYBOX_IMAGE,
  DockerProgressError,
  REQUIRED_APPLETS,
  buildImage,
  ensureBusyboxImage,
  getDocker,
  getRegistry,
  getTlsDocker,
  pullImage,
  pushImage,
  runContainer,
  type ContainerResult,
  type DockerEnv,
  type RegistryEnv,
  type TlsDockerEnv,
} from './setup';
import { statusOf } from './setup/network';
import { harnessStateDir } from './setup/processes';
import { pruneStaleRegistries, startRegistry } from './setup/registry';

describe('integration infrastructure', function () {
  let local: DockerEnv;
  before(async function () {
    local = await getDocker();
  });

  describe('local Docker engine', function () {
    it('answers /_ping', async function () {
      assert.equal(String(await local.docker.ping()), 'OK');
    });

    const runs: ReadonlyArray<{ name: string; cmd: string[]; expected: ContainerResult }> = [
      { name: 'echo hi', cmd: ['echo', 'hi'], expected: { exitCode: 0, stdout: 'hi\n', stderr: '' } },
      {
        name: 'separate streams and an exit code',
        cmd: ['sh', '-c', 'echo out; echo err >&2; exit 3'],
        expected: { exitCode: 3, stdout: 'out\n', stderr: 'err\n' },
      },
      {
        name: 'root user from /etc/passwd',
        cmd: ['id', '-un'],
        expected: { exitCode: 0, stdout: 'root\n', stderr: '' },
      },
    ];
    for (const { name, cmd, expected } of runs) {
      it(`runs ${BUSYBOX_IMAGE}: ${name}`, async function () {
        assert.deepEqual(await runContainer(local.docker, BUSYBOX_IMAGE, cmd), expected);
      });
    }

    it(`has every required applet on the PATH of ${BUSYBOX_IMAGE}`, async function () {
      const script = 'for applet in "$@"; do command -v "$applet" >/dev/null || echo "missing $applet"; done';
      const result = await runContainer(local.docker, BUSYBOX_IMAGE, ['sh', '-c', script, 'sh', ...REQUIRED_APPLETS]);
      assert.deepEqual(result, { exitCode: 0, stdout: '', stderr: '' });
    });

    it(`builds FROM ${BUSYBOX_IMAGE} with the classic builder`, async function () {
      // Unique per run: concurrent test runs share the engine.
      const tag = `acrtest/infra-smoke:build-${process.pid}`;
      const events = await buildImage(
        local.docker,
        {
          Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo built > /built.txt\nCOPY hello.txt /hello.txt\n`,
          'hello.txt': 'hello\n',
        },
        tag,
      );
      try {
        // "Step 1/3 : ..." lines are the classic builder's; BuildKit reports progress differently.
        const steps = events.flatMap((event) => (event.stream?.startsWith('Step ') ? [event.stream.trim()] : []));
        assert.deepEqual(steps, [
          `Step 1/3 : FROM ${BUSYBOX_IMAGE}`,
          'Step 2/3 : RUN echo built > /built.txt',
          'Step 3/3 : COPY hello.txt /hello.txt',
        ]);
        const result = await runContainer(local.docker, tag, ['cat', '/built.txt', '/hello.txt']);
        assert.deepEqual(result, { exitCode: 0, stdout: 'built\nhello\n', stderr: '' });
      } finally {
        await local.docker.getImage(tag).remove({ force: true });
      }
    });

    it('makes base-image variants that differ by a file, and reuses an unchanged one', async function () {
      const variant = (version: string): Promise<string> =>
        ensureBusyboxImage(local.docker, `acrtest/base:${version}`, { files: { '/etc/acrtest-base': `${version}\n` } });
      const v1 = await variant('v1');
      const v2 = await variant('v2');
      assert.notEqual(v1, v2);
      assert.equal(await variant('v1'), v1, 'an unchanged variant is not imported again');
      for (const [version, image] of [
        ['v1', v1],
        ['v2', v2],
      ]) {
        const result = await runContainer(local.docker, image, ['cat', '/etc/acrtest-base']);
        assert.deepEqual(result, { exitCode: 0, stdout: `${version}\n`, stderr: '' });
      }
    });
  });

  describe('registry with htpasswd auth', function () {
    let registry: RegistryEnv;
    const pushed: string[] = [];
    before(async function () {
      registry = await getRegistry();
    });
    after(async function () {
      for (const reference of pushed) {
        await local.docker.getImage(reference).remove({ force: true });
      }
    });

    const basic = (user: string, password: string): string =>
      `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const challenges: ReadonlyArray<{ name: string; authorization: () => string | undefined; status: number }> = [
      { name: 'no credentials', authorization: () => undefined, status: 401 },
      { name: 'a wrong password', authorization: () => basic(registry.username, 'wrong'), status: 401 },
      { name: 'the right credentials', authorization: () => basic(registry.username, registry.password), status: 200 },
    ];
    for (const { name, authorization, status } of challenges) {
      it(`answers /v2/ with ${status} to ${name}`, async function () {
        const header = authorization();
        const response = await request(`${registry.url}/v2/`, header ? { headers: { Authorization: header } } : {});
        assert.equal(response.status, status);
      });
    }

    it('refuses a push without credentials', async function () {
      const reference = `${registry.address}/infra-smoke/busybox:anonymous`;
      await local.docker
        .getImage(BUSYBOX_IMAGE)
        .tag({ repo: `${registry.address}/infra-smoke/busybox`, tag: 'anonymous' });
      pushed.push(reference);
      await assert.rejects(
        pushImage(local.docker, reference),
        (error: unknown) => error instanceof DockerProgressError && /no basic auth credentials/.test(error.message),
      );
    });

    it('accepts a push with credentials (X-Registry-Auth) and serves the pushed manifest', async function () {
      const reference = `${registry.address}/infra-smoke/busybox:1`;
      await local.docker.getImage(BUSYBOX_IMAGE).tag({ repo: `${registry.address}/infra-smoke/busybox`, tag: '1' });
      pushed.push(reference);
      const digest = await pushImage(local.docker, reference, registry.auth);
      const manifest = await request(`${registry.url}/v2/infra-smoke/busybox/manifests/1`, {
        headers: {
          Authorization: basic(registry.username, registry.password),
          Accept: 'application/vnd.docker.distribution.manifest.v2+json',
        },
      });
      assert.deepEqual(
        { status: manifest.status, digest: manifest.headers['docker-content-digest'] },
        { status: 200, digest },
      );
    });
  });

  describe('leftovers of a crashed run', function () {
    it('stops a registry whose test run died, and deletes its storage', async function () {
      const orphan = await startRegistry();
      try {
        const recordsDir = harnessStateDir('registries', 'records');
        const recordFile = readdirSync(recordsDir)
          .map((name) => path.join(recordsDir, name))
          .find((file) => readFileSync(file, 'utf8').includes(`"registryPid":${orphan.pid}`));
        assert.ok(recordFile, 'the registry is recorded for later clean-up');
        const record = JSON.parse(readFileSync(recordFile, 'utf8')) as { ownerPid: number; dir: string };
        writeFileSync(recordFile, JSON.stringify({ ...record, ownerPid: await deadPid() }));

        await pruneStaleRegistries();

        assert.deepEqual(
          {
            answers: await statusOf(`${orphan.env.url}/v2/`),
            storageExists: existsSync(record.dir),
            recordExists: existsSync(recordFile),
          },
          { answers: undefined, storageExists: false, recordExists: false },
        );
      } finally {
        await orphan.stop();
      }
    });
  });

  describe('TLS engine (remote engine)', function () {
    let remote: TlsDockerEnv;
    before(async function () {
      remote = await getTlsDocker();
    });

    it('answers /_ping over HTTPS with the client certificate', async function () {
      const response = await request(`https://${remote.host}:${remote.port}/_ping`, tlsOptions(remote, true));
      assert.deepEqual({ status: response.status, body: response.body }, { status: 200, body: 'OK' });
    });

    it('refuses a client without a certificate', async function () {
      await assert.rejects(request(`https://${remote.host}:${remote.port}/_ping`, tlsOptions(remote, false)));
    });

    it('refuses plain HTTP', async function () {
      const response = await request(`http://${remote.host}:${remote.port}/_ping`);
      assert.equal(response.status, 400);
    });

    it('is a separate engine from the local one', async function () {
      // Not Info.ID: dockerd 20.10 derives it from /etc/docker/key.json, which both engines share.
      const rootOf = async (env: DockerEnv): Promise<string> =>
        ((await env.docker.info()) as { DockerRootDir: string }).DockerRootDir;
      assert.notEqual(await rootOf(remote), await rootOf(local));
    });

    it('pulls from the auth registry and runs what it pulled', async function () {
      const registry = await getRegistry();
      const repo = `${registry.address}/infra-smoke/remote`;
      await local.docker.getImage(BUSYBOX_IMAGE).tag({ repo, tag: '1' });
      try {
        await pushImage(local.docker, `${repo}:1`, registry.auth);
      } finally {
        await local.docker.getImage(`${repo}:1`).remove({ force: true });
      }
      await pullImage(remote.docker, `${repo}:1`, registry.auth);
      try {
        const result = await runContainer(remote.docker, `${repo}:1`, ['echo', 'remote']);
        assert.deepEqual(result, { exitCode: 0, stdout: 'remote\n', stderr: '' });
      } finally {
        await remote.docker.getImage(`${repo}:1`).remove({ force: true });
      }
    });
  });
});

interface Response {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

function tlsOptions(remote: TlsDockerEnv, withClientCertificate: boolean): https.RequestOptions {
  const { caFile, clientCertFile, clientKeyFile } = remote.certificates;
  return {
    ca: readFileSync(caFile),
    ...(withClientCertificate ? { cert: readFileSync(clientCertFile), key: readFileSync(clientKeyFile) } : {}),
    agent: false,
  };
}

/** A GET that resolves to status, headers and body, and rejects on connection or TLS failure. */
async function request(url: string, options: https.RequestOptions = {}): Promise<Response> {
  const get = url.startsWith('https:') ? https.get : http.get;
  return new Promise((resolve, reject) => {
    const outgoing = get(url, { timeout: 10_000, ...options }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    outgoing.once('timeout', () => outgoing.destroy(new Error(`GET ${url} timed out`)));
    outgoing.once('error', reject);
  });
}

/** The pid of a process that has exited: what a crashed test run looks like to the next one. */
async function deadPid(): Promise<number> {
  const child = spawn('true', { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}
