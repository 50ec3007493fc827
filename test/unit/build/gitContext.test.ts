/**
 * Git contexts fetched as acb's scanner does (spec §9.1 "Git fragments"), against a `git daemon` and a
 * smart-HTTP server with basic auth, both on loopback and started by the test: branch, tag and commit
 * refs, the default `master`, sub-folders, bad refs and folders, unreachable hosts — and credentials that
 * never reach process arguments, the clone's config or the output.
 */
import { deepStrictEqual, match, rejects, strictEqual } from 'node:assert';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { classifyContext } from '../../../server/src/engine/remoteContext/contextSource';
import { fetchGitContext, type GitSource } from '../../../server/src/engine/remoteContext/gitFetch';
import {
  createRepository,
  startGitDaemon,
  startSmartHttp,
  type RunningServer,
  type TestRepository,
} from './gitServers';

const TOKEN = 'tok-9f8e7d6c5b4a';

function gitSource(url: string): GitSource {
  const source = classifyContext(url, () => false);
  if (source.kind !== 'git') throw new Error(`not a git URL: ${url}`);
  return source;
}

describe('git contexts', function () {
  this.timeout(60_000);
  let repository: TestRepository;
  let daemon: RunningServer;
  let smart: RunningServer & { requests: string[] };
  let scratch: string;
  let output: string[];
  let env: Record<string, string | undefined>;
  let argvLog: string;

  before(async () => {
    repository = createRepository((marker) => `FROM scratch\nLABEL marker=${marker}\n`);
    daemon = await startGitDaemon(repository.base);
    smart = await startSmartHttp(repository.base, { username: 'dummy', password: TOKEN });
    scratch = mkdtempSync(path.join(tmpdir(), 'git-ctx-'));
    // A `git` first on the PATH that logs its arguments, to prove no credential is ever passed there.
    argvLog = path.join(scratch, 'argv.log');
    const wrapper = path.join(scratch, 'bin', 'git');
    (await import('node:fs')).mkdirSync(path.dirname(wrapper));
    writeFileSync(wrapper, `#!/bin/sh\necho "$@" >> '${argvLog}'\nexec /usr/bin/git "$@"\n`);
    chmodSync(wrapper, 0o755);
    env = { ...process.env, PATH: `${path.dirname(wrapper)}:${process.env.PATH ?? ''}` };
  });
  after(async () => {
    await daemon?.stop();
    await smart?.stop();
    repository?.remove();
    rmSync(scratch, { recursive: true, force: true });
  });
  beforeEach(() => (output = []));

  let counter = 0;
  function fetch(url: string) {
    const folder = path.join(scratch, `clone-${++counter}`);
    return fetchGitContext(gitSource(url), folder, {
      signal: AbortSignal.timeout(30_000),
      output: (text) => output.push(text),
      env,
    }).then((contextDir) => ({
      contextDir,
      folder,
      dockerfile: readFileSync(path.join(contextDir, 'Dockerfile'), 'utf8'),
    }));
  }

  const refs: [fragment: string, marker: string, subdir: string][] = [
    ['', 'master', ''],
    ['#master', 'master', ''],
    ['#feature', 'feature', ''],
    ['#v1', 'first', ''],
    ['#master:app', 'app-first', 'app'],
  ];
  for (const [fragment, marker, subdir] of refs) {
    it(`git daemon: repo.git${fragment} → ${marker}`, async () => {
      const { contextDir, folder, dockerfile } = await fetch(`${daemon.url}/repo.git${fragment}`);
      deepStrictEqual(
        { dockerfile, contextDir: path.relative(folder, contextDir) },
        { dockerfile: `FROM scratch\nLABEL marker=${marker}\n`, contextDir: subdir },
      );
    });
  }

  it('git daemon: a commit id (not fetchable by name) falls back to a full fetch', async () => {
    const { dockerfile } = await fetch(`${daemon.url}/repo.git#${repository.commits.first}`);
    strictEqual(dockerfile, 'FROM scratch\nLABEL marker=first\n');
    match(output.join(''), new RegExp(`Checked out ${repository.commits.first} at ${repository.commits.first}`));
  });

  it('a ref that does not exist builds FETCH_HEAD, as ACR does, and says so', async () => {
    const { dockerfile } = await fetch(`${daemon.url}/repo.git#no-such-branch`);
    match(dockerfile, /LABEL marker=(feature|master)/);
    match(
      output.join(''),
      /WARNING: no-such-branch is not a branch, tag or commit of the repository; like ACR, building FETCH_HEAD instead \(branch (feature|master)\)/,
    );
  });

  it('says that a URL without #ref fetches master, as ACR does', async () => {
    await fetch(`${daemon.url}/repo.git`);
    match(output.join(''), /No #ref in the URL: like ACR, fetching branch master/);
  });

  const failures: [url: () => string, message: RegExp][] = [
    [() => `${daemon.url}/repo.git#master:nope`, /error setting git context: nope does not exist in the repository/],
    [() => `${daemon.url}/repo.git#master:outside`, /error setting git context, "outside" not within git root/],
    [() => `${daemon.url}/repo.git#master:app/file.txt`, /not a directory: app\/file\.txt/],
    [() => `${daemon.url}/missing.git`, /error fetching git:\/\/127\.0\.0\.1:\d+\/missing\.git/],
    [
      () => 'git://127.0.0.1:1/repo.git',
      /error fetching git:\/\/127\.0\.0\.1:1\/repo\.git: .*(refused|unable to connect)/i,
    ],
  ];
  for (const [url, message] of failures) {
    it(`fails clearly: ${message.source}`, async () => {
      await rejects(fetch(url()), message);
    });
  }

  it('smart HTTP: a shallow fetch (the server advertises git-upload-pack)', async () => {
    const open = await startSmartHttp(repository.base);
    try {
      const { dockerfile, folder } = await fetch(`${open.url}/repo.git#feature:app`);
      deepStrictEqual(
        { dockerfile, shallow: existsSync(path.join(folder, '.git', 'shallow')) },
        { dockerfile: 'FROM scratch\nLABEL marker=app-first\n', shallow: true },
      );
    } finally {
      await open.stop();
    }
  });

  it('smart HTTP with a token in the URL: credentials only through the credential helper', async () => {
    const url = `${smart.url.replace('http://', `http://${TOKEN}@`)}/repo.git#feature`;
    const { dockerfile, folder } = await fetch(url);
    strictEqual(dockerfile, 'FROM scratch\nLABEL marker=feature\n');
    // acb's probe for a smart server carries no credentials: a private server gets a full fetch.
    strictEqual(existsSync(path.join(folder, '.git', 'shallow')), false);
    const config = readFileSync(path.join(folder, '.git', 'config'), 'utf8');
    const argv = readFileSync(argvLog, 'utf8');
    deepStrictEqual(
      {
        inConfig: config.includes(TOKEN),
        inArguments: argv.includes(TOKEN),
        inOutput: output.join('').includes(TOKEN),
        remote: /url = (.*)/.exec(config)?.[1],
      },
      { inConfig: false, inArguments: false, inOutput: false, remote: `${smart.url}/repo.git` },
    );
  });

  it('smart HTTP with a wrong token fails without prompting', async () => {
    const url = `${smart.url.replace('http://', 'http://wrong-token@')}/repo.git`;
    await rejects(fetch(url), /error fetching http:\/\/127\.0\.0\.1:\d+\/repo\.git: .*Authentication failed/);
  });
});
