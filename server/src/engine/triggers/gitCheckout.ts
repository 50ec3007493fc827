/**
 * The git side of commit triggers: the commit a branch points to in the context's repository, and an
 * export of the context folder as of one commit — ACR builds the pushed commit from a fresh clone, so
 * a triggered run builds the commit, not whatever the working tree holds. git runs without a shell,
 * with fixed arguments.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';
import * as tar from 'tar-stream';

const GIT_TIMEOUT_MS = 30_000;

/** Thrown when git fails for a reason other than "no such branch". */
export class GitError extends Error {
  override name = 'GitError';
}

function git(
  args: string[],
  cwd: string,
  signal: AbortSignal,
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, signal, timeout: GIT_TIMEOUT_MS, windowsHide: true }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT' && !stderr)
        reject(new GitError(`git is not installed or ${cwd} does not exist`));
      else resolve({ ok: !error, stdout: stdout.trim(), stderr: stderr.trim() });
    });
  });
}

/** True when `dir` is inside a git work tree. */
export async function isGitWorkTree(dir: string, signal: AbortSignal): Promise<boolean> {
  const result = await git(['rev-parse', '--is-inside-work-tree'], dir, signal);
  return result.ok && result.stdout === 'true';
}

/** The branch checked out in `dir`, or undefined (detached HEAD, not a repository). */
export async function currentBranch(dir: string, signal: AbortSignal): Promise<string | undefined> {
  const result = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], dir, signal);
  return result.ok && result.stdout !== '' ? result.stdout : undefined;
}

/** The commit `refs/heads/<branch>` points to, or undefined when there is no such branch. */
export async function branchHead(dir: string, branch: string, signal: AbortSignal): Promise<string | undefined> {
  if (branch.startsWith('-')) throw new GitError(`invalid branch name ${branch}`);
  const result = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], dir, signal);
  if (result.ok) return result.stdout;
  if (result.stderr !== '') throw new GitError(`git rev-parse in ${dir}: ${result.stderr.split('\n')[0] ?? ''}`);
  return undefined;
}

/**
 * Writes the files of `dir` as of `commit` (the same folder inside the repository) into a new
 * temporary folder. Call `dispose` when the run is over.
 */
export async function exportCommit(
  dir: string,
  commit: string,
  signal: AbortSignal,
): Promise<{ path: string; dispose: () => Promise<void> }> {
  if (!/^[0-9a-f]{7,64}$/i.test(commit)) throw new GitError(`not a commit id: ${commit}`);
  const prefix = await git(['rev-parse', '--show-prefix'], dir, signal);
  if (!prefix.ok) throw new GitError(`${dir} is not in a git repository`);
  const treeish = prefix.stdout === '' ? commit : `${commit}:${prefix.stdout.replace(/\/$/, '')}`;
  const target = await mkdtemp(join(tmpdir(), 'acr-commit-'));
  const dispose = () => rm(target, { recursive: true, force: true });
  try {
    await extractArchive(dir, treeish, target, signal);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { path: target, dispose };
}

function extractArchive(dir: string, treeish: string, target: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['archive', '--format=tar', treeish], { cwd: dir, signal, windowsHide: true });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const extract = tar.extract();
    let failed: Error | undefined;
    extract.on('entry', (header, stream, next) => {
      const path = normalize(join(target, header.name));
      if (path !== target && !path.startsWith(target + sep)) {
        stream.resume();
        next(new GitError(`git archive entry outside the export: ${header.name}`));
        return;
      }
      const write = async (content: Buffer) => {
        if (header.type === 'directory') await mkdir(path, { recursive: true });
        else if (header.type === 'symlink') {
          await mkdir(dirname(path), { recursive: true });
          await symlink(header.linkname ?? '', path);
        } else if (header.type === 'file') {
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, content, { mode: (header.mode ?? 0o644) & 0o777 });
        }
      };
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
      stream.on('end', () => {
        write(Buffer.concat(chunks)).then(
          () => next(),
          (error: unknown) => next(error as Error),
        );
      });
    });
    let extracted = false;
    let exitCode: number | null | undefined;
    // Both must be known: an empty archive (git failed) still "finishes" extracting.
    const settle = () => {
      if (failed !== undefined) reject(failed);
      else if (exitCode !== undefined && exitCode !== 0)
        reject(new GitError(`git archive ${treeish} failed: ${Buffer.concat(stderr).toString('utf8').trim()}`));
      else if (extracted && exitCode === 0) resolve();
    };
    extract.on('error', (error) => {
      failed = error;
      child.kill();
      settle();
    });
    extract.on('finish', () => {
      extracted = true;
      settle();
    });
    child.on('error', (error) => {
      failed = error;
      settle();
    });
    child.on('close', (code) => {
      exitCode = code ?? 1;
      settle();
    });
    child.stdout.pipe(extract);
  });
}
