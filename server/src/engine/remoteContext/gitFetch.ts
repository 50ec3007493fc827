/**
 * A git context fetched the way acb's scanner does it (`scan/git.go`, after moby's gitutils): `git init`,
 * `remote add origin`, a shallow `fetch --depth 1 origin <ref>` when the server allows it (non-HTTP
 * transports always; HTTP only when it is a smart server) with a full `fetch origin` as fallback (a
 * commit id is not fetchable by name), `checkout <ref>` falling back to `FETCH_HEAD`, the `#…:subdir`
 * resolved inside the checkout, then submodules (depth 1) and `git lfs pull` when git-lfs is installed.
 *
 * Deliberate differences: acb turns on `credential.helper cache` in the *global* git config; we never
 * touch the user's configuration. Credentials never appear in process arguments or the remote URL: git
 * gets them from a one-shot credential helper that reads this process's environment for the child.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, realpath, stat } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';

import type { ContextSource } from './contextSource';

export type GitSource = Extract<ContextSource, { kind: 'git' }>;

export class GitFetchError extends Error {
  override name = 'GitFetchError';
}

export interface GitFetchOptions {
  signal: AbortSignal;
  /** Progress and git's own messages, as the step's output. */
  output: (text: string) => void;
  /** Environment for git (PATH, HOME, proxies); credentials are added to the child's copy only. */
  env: Readonly<Record<string, string | undefined>>;
  /** How long the smart-HTTP probe may take. Default 10 s. */
  probeTimeoutMs?: number;
}

const CREDENTIAL_USER = 'ACR_TASKS_GIT_USERNAME';
const CREDENTIAL_PASSWORD = 'ACR_TASKS_GIT_PASSWORD';
/** Answers git's `get` with the values in the child's environment (the script itself holds no secret). */
const CREDENTIAL_HELPER = `!f() { test "$1" = get && printf 'username=%s\\npassword=%s\\n' "$${CREDENTIAL_USER}" "$${CREDENTIAL_PASSWORD}"; }; f`;

interface GitRun {
  ok: boolean;
  output: string;
}

function runGit(args: string[], cwd: string, source: GitSource, options: GitFetchOptions): Promise<GitRun> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  env['GIT_TERMINAL_PROMPT'] = '0';
  const config = ['-c', 'advice.detachedHead=false', '-c', 'init.defaultBranch=master'];
  if (source.credentials) {
    env[CREDENTIAL_USER] = source.credentials.username;
    env[CREDENTIAL_PASSWORD] = source.credentials.password;
    // The empty value first drops the user's helpers for this run, so only ours answers.
    config.push('-c', 'credential.helper=', '-c', `credential.helper=${CREDENTIAL_HELPER}`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...config, ...args], { cwd, env, signal: options.signal, windowsHide: true });
    let output = '';
    const collect = (chunk: Buffer) => (output += chunk.toString('utf8'));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(new GitFetchError('git is not installed (it is needed for git contexts)'));
      else reject(error);
    });
    child.once('close', (code) => resolve({ ok: code === 0, output: output.trimEnd() }));
  });
}

/** acb's `supportsShallowClone`: smart HTTP servers advertise `git-upload-pack`; other transports always can. */
export async function supportsShallowFetch(remote: string, timeoutMs: number): Promise<boolean> {
  if (!/^https?:\/\//i.test(remote)) return true;
  const probe = `${remote.replace(/\/+$/, '')}/info/refs?service=git-upload-pack`;
  for (const method of ['HEAD', 'GET']) {
    const contentType = await new Promise<string | undefined>((resolve) => {
      const client = probe.startsWith('https:') ? https : http;
      const request = client.request(probe, { method, timeout: timeoutMs }, (response) => {
        response.resume();
        resolve(response.statusCode === 200 ? (response.headers['content-type'] ?? '') : undefined);
      });
      request.once('timeout', () => request.destroy());
      request.once('error', () => resolve(undefined));
      request.end();
    });
    if (contentType !== undefined) return contentType === 'application/x-git-upload-pack-advertisement';
  }
  return false;
}

function describe(run: GitRun): string {
  return run.output === '' ? '' : `: ${run.output}`;
}

/** `subdir` inside `root`, following symlinks only as long as they stay inside (moby `FollowSymlinkInScope`). */
async function resolveSubdir(root: string, subdir: string): Promise<string> {
  const realRoot = await realpath(root);
  let resolved: string;
  try {
    resolved = await realpath(path.join(realRoot, subdir));
  } catch {
    throw new GitFetchError(`error setting git context: ${subdir} does not exist in the repository`);
  }
  const relative = path.relative(realRoot, resolved);
  if (relative.startsWith('..') || path.isAbsolute(relative))
    throw new GitFetchError(`error setting git context, "${subdir}" not within git root`);
  if (!(await stat(resolved)).isDirectory())
    throw new GitFetchError(`error setting git context, not a directory: ${subdir}`);
  return resolved;
}

function hasGitLfs(env: GitFetchOptions['env']): Promise<boolean> {
  return new Promise((resolve) =>
    execFile('git-lfs', ['version'], { env: { PATH: env['PATH'] ?? '' }, timeout: 10_000 }, (error) => resolve(!error)),
  );
}

/** Fetches the repository into the empty folder `root`; resolves with the context folder (subdir applied). */
export async function fetchGitContext(source: GitSource, root: string, options: GitFetchOptions): Promise<string> {
  await mkdir(root, { recursive: true });
  const git = (args: string[]) => runGit(args, root, source, options);
  options.output(
    `Getting context from Git URL ${source.display} (ref ${source.ref}${source.subdir ? `, folder ${source.subdir}` : ''})\n`,
  );
  if (!source.refGiven)
    options.output('No #ref in the URL: like ACR, fetching branch master (add #<branch> to build another)\n');

  const init = await git(['init', '--quiet']);
  if (!init.ok) throw new GitFetchError(`failed to init repo${describe(init)}`);
  const remote = await git(['remote', 'add', 'origin', source.remote]);
  if (!remote.ok) throw new GitFetchError(`failed to add origin ${source.display}${describe(remote)}`);

  const shallow = await supportsShallowFetch(source.remote, options.probeTimeoutMs ?? 10_000);
  const fetch = await git(['fetch', ...(shallow ? ['--depth', '1'] : []), 'origin', source.ref]);
  if (!fetch.ok) {
    // A commit id cannot be fetched by name from most servers: fetch everything, then check it out.
    const full = await git(['fetch', 'origin']);
    if (!full.ok) throw new GitFetchError(`error fetching ${source.display}${describe(fetch)}`);
  }
  const checkout = await git(['checkout', '--quiet', source.ref]);
  if (!checkout.ok) {
    const fetched = await git(['checkout', '--quiet', 'FETCH_HEAD']);
    if (!fetched.ok) throw new GitFetchError(`error checking out ${source.ref}${describe(checkout)}`);
    if (!fetch.ok) {
      // The ref does not exist: acb then builds whatever the full fetch left first in FETCH_HEAD.
      const first = (await readFile(path.join(root, '.git', 'FETCH_HEAD'), 'utf8').catch(() => '')).split('\n')[0];
      const what = /\t(branch|tag) '([^']+)'/.exec(first ?? '');
      options.output(
        `WARNING: ${source.ref} is not a branch, tag or commit of the repository; like ACR, building FETCH_HEAD instead${what ? ` (${what[1]} ${what[2]})` : ''}\n`,
      );
    }
  }
  const head = await git(['rev-parse', 'HEAD']);
  if (head.ok) options.output(`Checked out ${source.ref} at ${head.output}\n`);

  const contextDir = source.subdir === '' ? root : await resolveSubdir(root, source.subdir);
  const submodules = await git(['submodule', 'update', '--init', '--recursive', '--depth=1']);
  if (!submodules.ok) throw new GitFetchError(`error initializing submodules${describe(submodules)}`);
  if (await hasGitLfs(options.env)) {
    const lfs = await git(['lfs', 'pull']);
    if (!lfs.ok) throw new GitFetchError(`error executing 'git lfs pull'${describe(lfs)}`);
  } else {
    options.output('WARNING: git-lfs is not installed\n');
  }
  return contextDir;
}
