/**
 * Quick builds from remote contexts on the real engine (spec §9.1): git URLs with `#ref:subdir` (branch,
 * tag, commit) from a `git daemon` on loopback, tarball URLs from a local HTTP server, and the failures a
 * user must be able to read — an unreachable host, a 404, a bad archive, a URL that is not an archive.
 * Every run leaves nothing behind on the engine and removes what it fetched.
 */
import { deepStrictEqual, match, strictEqual } from 'node:assert';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

import type { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { runQuickBuild } from '../../../server/src/engine/quickBuild/runQuickBuild';
import { randomRunId } from '../../../server/src/engine/run/runId';
import type { RunEvent } from '../../../server/src/protocol';
import { ArchiveServer, gzip, tarOf } from '../../unit/build/archives';
import { createRepository, startGitDaemon, type RunningServer, type TestRepository } from '../../unit/build/gitServers';
import { runtimeFor } from '../runtime/runtimeFixtures';
import { BUSYBOX_IMAGE, getDocker, type DockerEnv } from '../setup';
import { stepOutput } from './buildFixtures';

const NOTHING = { containers: [], networks: [], volumes: [] };
const dockerfile = (marker: string) => `FROM ${BUSYBOX_IMAGE}\nCOPY . /ctx\nRUN echo "marker=${marker}" && ls /ctx\n`;

function fetchedFolders(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('acr-build-context-'));
}

describe('quick builds from remote contexts (real engine, loopback git and HTTP servers)', function () {
  let env: DockerEnv;
  let runtime: DockerodeRuntime;
  let repository: TestRepository;
  let daemon: RunningServer;
  const http = new ArchiveServer();

  before(async function () {
    env = await getDocker();
    runtime = await runtimeFor(env);
    repository = createRepository(dockerfile);
    daemon = await startGitDaemon(repository.base);
    await http.start();
  });
  after(async () => {
    await daemon?.stop();
    await http.stop();
    repository?.remove();
  });

  async function build(context: string, extra: { dockerfile?: string } = {}) {
    const before = fetchedFolders();
    const events: RunEvent[] = [];
    const result = await runQuickBuild({
      runtime,
      context,
      cwd: tmpdir(),
      env: process.env,
      tags: [],
      noCache: true,
      runId: randomRunId(8),
      downloadBackoffMs: 10,
      onEvent: (event) => events.push(event),
      ...extra,
    });
    const leftovers = await runtime.listRunResources(result.runId, AbortSignal.timeout(30_000));
    const left = fetchedFolders().filter((name) => !before.includes(name));
    return { result, output: stepOutput(events, 'build'), leftovers, fetchedLeft: left };
  }

  const gitCases: [fragment: () => string, marker: string, files: string][] = [
    [() => '#feature', 'feature', 'Dockerfile\napp\noutside\n'],
    [() => '#v1', 'first', 'Dockerfile\napp\n'],
    [() => `#${repository.commits.first}`, 'first', 'Dockerfile\napp\n'],
    [() => '#master:app', 'app-first', 'Dockerfile\nfile.txt\n'],
  ];
  for (const [fragment, marker, files] of gitCases) {
    it(`git: repo.git${fragment.toString().includes('commits') ? '#<commit>' : fragment()} builds ${marker}`, async () => {
      const { result, output, leftovers, fetchedLeft } = await build(`${daemon.url}/repo.git${fragment()}`);
      deepStrictEqual(
        { status: result.status, error: result.error, leftovers, fetchedLeft },
        { status: 'succeeded', error: undefined, leftovers: NOTHING, fetchedLeft: [] },
      );
      match(output, new RegExp(`marker=${marker}\\n${files.replace(/\n/g, '\\n')}`));
      match(output, /Getting context from Git URL git:\/\/127\.0\.0\.1:\d+\/repo\.git/);
    });
  }

  it('tarball: a gzipped archive with the Dockerfile in a folder (-f relative to the context)', async () => {
    const url = http.serve('/ctx.tar.gz', {
      body: gzip(
        await tarOf([
          { name: 'docker/Dockerfile', content: dockerfile('tarball') },
          { name: 'data.txt', content: 'data' },
        ]),
      ),
    });
    const { result, output, leftovers, fetchedLeft } = await build(url, { dockerfile: 'docker/Dockerfile' });
    deepStrictEqual(
      { status: result.status, error: result.error, leftovers, fetchedLeft },
      { status: 'succeeded', error: undefined, leftovers: NOTHING, fetchedLeft: [] },
    );
    match(output, /marker=tarball\ndata\.txt\ndocker\n/);
  });

  const failures: [name: string, context: () => Promise<string> | string, message: RegExp][] = [
    [
      'an unreachable git host',
      () => 'git://127.0.0.1:1/repo.git#main',
      /^failed to run step ID: build: error fetching git:\/\/127\.0\.0\.1:1\/repo\.git: .*(refused|unable to connect)/is,
    ],
    [
      'an unreachable HTTP host',
      () => 'http://127.0.0.1:1/ctx.tar.gz',
      /^failed to run step ID: build: unable to download remote context from http:\/\/127\.0\.0\.1:1\/ctx\.tar\.gz: .*ECONNREFUSED/,
    ],
    [
      'a 404',
      () => http.serve('/gone.tar.gz', { status: 404, body: 'no such context' }),
      /^failed to run step ID: build: unable to download remote context from .*\/gone\.tar\.gz: failed to GET .* with status 404 Not Found: no such context$/,
    ],
    [
      'a bad archive',
      () => http.serve('/bad.tar.gz', { body: gzip(Buffer.from('this is not a tar archive')) }),
      /^failed to run step ID: build: unable to download remote context from .*: bad archive: the gzip data is not a tar archive$/,
    ],
    [
      'a URL that is not an archive (ACR builds an empty context)',
      () => http.serve('/Dockerfile', { body: dockerfile('plain') }),
      /^failed to run step ID: build: the Dockerfile Dockerfile does not exist in the context from .*\/Dockerfile \(the URL was not an archive, so the context is empty\)$/,
    ],
  ];
  for (const [name, context, message] of failures) {
    it(`fails clearly: ${name}`, async () => {
      const { result, leftovers, fetchedLeft } = await build(await context());
      deepStrictEqual(
        { status: result.status, leftovers, fetchedLeft },
        { status: 'failed', leftovers: NOTHING, fetchedLeft: [] },
      );
      match(result.error ?? '', message);
    });
  }

  it('a 5xx is retried and the build goes on', async () => {
    const url = http.serve(
      '/busy.tar',
      { status: 503, body: 'busy' },
      { body: await tarOf([{ name: 'Dockerfile', content: dockerfile('after-retry') }]) },
    );
    const { result, output } = await build(url);
    strictEqual(result.status, 'succeeded', result.error);
    match(
      output,
      /Attempt 1 failed: failed to GET .* with status 503 Service Unavailable: busy; retrying\n[\s\S]*marker=after-retry/,
    );
  });
});
