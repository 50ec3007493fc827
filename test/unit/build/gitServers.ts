/**
 * Git servers on loopback for tests, started and stopped by the tests themselves: `git daemon` (the git://
 * protocol) and `git http-backend` behind a tiny node HTTP server (smart HTTP, optionally with basic
 * auth). Plus a repository with branches, a tag, several commits and a sub-folder to build.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(args: string[], cwd: string): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=master', ...args], {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
  }).trim();
}

export interface TestRepository {
  /** Folder holding `repo.git` (the servers' base path). */
  base: string;
  commits: { first: string; master: string; feature: string };
  remove(): void;
}

/**
 * `repo.git` with: master (2 commits; the first has `Dockerfile` saying `first`), branch `feature`, tag
 * `v1` (on the first commit), a sub-folder `app/` with its own Dockerfile, and a symlink `outside`
 * pointing out of the repository.
 */
export function createRepository(dockerfile: (marker: string) => string): TestRepository {
  const base = mkdtempSync(path.join(tmpdir(), 'git-repos-'));
  const work = path.join(base, 'work');
  mkdirSync(path.join(work, 'app'), { recursive: true });
  git(['init', '-q'], work);
  const write = (name: string, text: string) => writeFileSync(path.join(work, name), text);
  write('Dockerfile', dockerfile('first'));
  write('app/Dockerfile', dockerfile('app-first'));
  write('app/file.txt', 'app file\n');
  git(['add', '-A'], work);
  git(['commit', '-q', '-m', 'first'], work);
  const first = git(['rev-parse', 'HEAD'], work);
  git(['tag', 'v1'], work);
  write('Dockerfile', dockerfile('master'));
  execFileSync('ln', ['-s', '/etc', path.join(work, 'outside')]);
  git(['add', '-A'], work);
  git(['commit', '-q', '-m', 'second'], work);
  const master = git(['rev-parse', 'HEAD'], work);
  git(['checkout', '-q', '-b', 'feature'], work);
  write('Dockerfile', dockerfile('feature'));
  git(['commit', '-q', '-am', 'feature'], work);
  const feature = git(['rev-parse', 'HEAD'], work);
  git(['checkout', '-q', 'master'], work);
  git(['clone', '-q', '--bare', work, path.join(base, 'repo.git')], base);
  return { base, commits: { first, master, feature }, remove: () => rmSync(base, { recursive: true, force: true }) };
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** `git daemon` on a free loopback port; resolves once it is ready ("Ready to rumble"). */
export async function startGitDaemon(base: string): Promise<RunningServer> {
  const port = await new Promise<number>((resolve) => {
    const probe = http.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const daemon: ChildProcess = spawn(
    'git',
    [
      'daemon',
      `--base-path=${base}`,
      '--export-all',
      '--reuseaddr',
      `--port=${port}`,
      '--listen=127.0.0.1',
      '--verbose',
      base,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let log = '';
    daemon.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Ready to rumble')) resolve();
    });
    daemon.once('exit', (code) => reject(new Error(`git daemon exited (${code}): ${log}`)));
  });
  daemon.stderr!.resume();
  return {
    url: `git://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (daemon.exitCode !== null) return resolve();
        daemon.once('exit', () => resolve());
        daemon.kill();
      }),
  };
}

/**
 * Smart HTTP through `git http-backend` (CGI) behind a node server; with `credentials`, every request must
 * carry them as basic auth (401 with a challenge otherwise, so git asks its credential helper).
 */
export async function startSmartHttp(
  base: string,
  credentials?: { username: string; password: string },
): Promise<RunningServer & { requests: string[] }> {
  const requests: string[] = [];
  const expected = credentials
    ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    : undefined;
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (expected && request.headers.authorization !== expected) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="test"' });
      response.end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...GIT_ENV,
        GIT_PROJECT_ROOT: base,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: request.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        REMOTE_USER: credentials?.username ?? '',
        REMOTE_ADDR: '127.0.0.1',
        ...(request.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] } : {}),
        ...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    request.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    cgi.stdout.on('end', () => {
      // CGI output: headers, a blank line, the body.
      const output = Buffer.concat(chunks);
      const crlf = output.indexOf('\r\n\r\n');
      const [split, separator] = crlf >= 0 ? [crlf, 4] : [output.indexOf('\n\n'), 2];
      const headerText = output.subarray(0, split).toString('latin1');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of headerText.split(/\r?\n/)) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'status') status = parseInt(value, 10);
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      response.end(output.subarray(split + separator));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
