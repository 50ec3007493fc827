/**
 * Where a quick build's context comes from, and how it is packed for the engine (spec §9.1):
 * - a local folder is what `az acr build` uploads and the agent's docker CLI then sends (`acr-build`
 *   packing), with the Dockerfile added as `<uuidhex>_<basename>` — so it may live outside the folder;
 * - a git URL or a tarball URL is fetched into a temporary folder (as acb's scanner does) and sent with
 *   the docker CLI's rules (`docker-classic`), the Dockerfile relative to the context root.
 * The tar is produced from disk for every build attempt, streamed, never held whole.
 */
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';

import { packContext, type ContextReport, type PackingMode } from '../context/contextPacking';
import type { ContextSource } from '../remoteContext/contextSource';
import { fetchGitContext } from '../remoteContext/gitFetch';
import { fetchTarballContext } from '../remoteContext/tarballFetch';
import type { DirectBuildContext } from '../steps/stepContext';

export class BuildSourceError extends Error {
  override name = 'BuildSourceError';
}

export interface BuildSourceOptions {
  source: ContextSource;
  /** Local: the Dockerfile's absolute path. Remote: its path relative to the context root. */
  dockerfile: string;
  /** Hex id of the uploaded Dockerfile's name (`<id>_<basename>`), local contexts only. */
  uploadId: string;
  /** Environment for git (PATH, HOME, proxies). */
  env: Readonly<Record<string, string | undefined>>;
  /** Back-off between download attempts (tests shorten it). */
  downloadBackoffMs?: number;
}

/** The `-f` value the build sees for this source. */
export function dockerfileInBuild(options: Pick<BuildSourceOptions, 'source' | 'dockerfile' | 'uploadId'>): string {
  return options.source.kind === 'local'
    ? `${options.uploadId}_${path.basename(options.dockerfile)}`
    : options.dockerfile;
}

/** `1.5 MB`: binary units, one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1024;
    unit++;
  } while (value >= 1024 && unit < units.length - 1);
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** One-paragraph summary of what was sent, with what the user should know about it. */
export function describeReport(report: ContextReport): string {
  const lines = [
    `Sent build context: ${report.files} files, ${formatBytes(report.totalBytes)}${report.ignoreFile ? ` (ignore rules: ${report.ignoreFile})` : ''}`,
  ];
  for (const warning of contextWarnings(report)) lines.push(`WARNING: ${warning}`);
  return `${lines.join('\n')}\n`;
}

/** Things about a packed context that change or break the build. */
export function contextWarnings(report: ContextReport): string[] {
  const warnings = [...report.warnings];
  if (report.dockerfileExcluded)
    warnings.push(
      'the ignore rules match the Dockerfile: docker still sends it, but ACR fails the build step (Azure/acr#613)',
    );
  if (report.externalSymlinks.length > 0)
    warnings.push(
      `symlinks pointing outside the context are sent as links and will dangle in the build: ${report.externalSymlinks.slice(0, 5).join(', ')}${report.externalSymlinks.length > 5 ? ', …' : ''}`,
    );
  if (report.unsupported.length > 0)
    warnings.push(`left out (sockets or devices cannot be sent): ${report.unsupported.slice(0, 5).join(', ')}`);
  return warnings;
}

/** A quick build's context: prepared (fetched) once, packed for each build attempt. */
export class BuildSource implements DirectBuildContext {
  private contextDir: string | undefined;
  private temporary: string | undefined;
  private output: (text: string) => void = () => undefined;
  private emptyRemote = false;

  constructor(private readonly options: BuildSourceOptions) {}

  /** The folder that is sent, once prepared. */
  get folder(): string | undefined {
    return this.contextDir;
  }

  async prepare(signal: AbortSignal, output: (text: string) => void): Promise<void> {
    this.output = output;
    if (this.contextDir !== undefined) return;
    const { source } = this.options;
    if (source.kind === 'local') {
      this.contextDir = source.path;
      return;
    }
    this.temporary = await mkdtemp(path.join(tmpdir(), 'acr-build-context-'));
    const destination = path.join(this.temporary, 'context');
    if (source.kind === 'git') {
      this.contextDir = await fetchGitContext(source, destination, { signal, output, env: this.options.env });
    } else {
      const fetched = await fetchTarballContext(source, destination, {
        signal,
        output,
        ...(this.options.downloadBackoffMs !== undefined ? { backoffMs: this.options.downloadBackoffMs } : {}),
      });
      this.emptyRemote = fetched.empty;
      this.contextDir = destination;
    }
  }

  private dockerfilePath(): string {
    if (this.options.source.kind === 'local') return this.options.dockerfile;
    const contextDir = this.requireContext();
    const resolved = path.resolve(contextDir, this.options.dockerfile);
    const relative = path.relative(contextDir, resolved);
    if (relative.startsWith('..') || path.isAbsolute(relative))
      throw new BuildSourceError(`the Dockerfile ${this.options.dockerfile} must be inside the remote context`);
    return resolved;
  }

  private requireContext(): string {
    if (this.contextDir === undefined) throw new Error('the build context was not prepared');
    return this.contextDir;
  }

  async readDockerfile(): Promise<Buffer> {
    const file = this.dockerfilePath();
    try {
      // A link inside a fetched context must not read a file of this machine.
      if (this.options.source.kind !== 'local') {
        const real = await realpath(file);
        const root = await realpath(this.requireContext());
        if (path.relative(root, real).startsWith('..'))
          throw new BuildSourceError(`the Dockerfile ${this.options.dockerfile} links outside the remote context`);
      }
      return await readFile(file);
    } catch (error) {
      if (error instanceof BuildSourceError) throw error;
      const where = this.options.source.kind === 'local' ? file : `the context from ${this.options.source.display}`;
      const empty = this.emptyRemote ? ' (the URL was not an archive, so the context is empty)' : '';
      throw new BuildSourceError(`the Dockerfile ${this.options.dockerfile} does not exist in ${where}${empty}`);
    }
  }

  /** Packs the context; a listing collects every path and more of the largest files. */
  async packWithReport(
    listing: { listPaths?: boolean; largestCount?: number } = {},
  ): Promise<{ stream: Readable; dockerfileInTar: string; report: Promise<ContextReport> }> {
    const local = this.options.source.kind === 'local';
    const mode: PackingMode = local ? 'acr-build' : 'docker-classic';
    const packed = await packContext({
      contextDir: this.requireContext(),
      mode,
      dockerfile: local ? this.options.dockerfile : this.dockerfilePath(),
      generateId: () => this.options.uploadId,
      ...listing,
    });
    return { stream: packed.stream, dockerfileInTar: packed.dockerfileInTar ?? 'Dockerfile', report: packed.report };
  }

  async pack(): Promise<{ stream: Readable; dockerfileInTar: string; done: Promise<unknown> }> {
    const packed = await this.packWithReport();
    const done = packed.report.then((report) => this.output(describeReport(report)));
    done.catch(() => undefined);
    return { stream: packed.stream, dockerfileInTar: packed.dockerfileInTar, done };
  }

  /** Removes a fetched context. */
  async dispose(): Promise<void> {
    if (this.temporary) await rm(this.temporary, { recursive: true, force: true });
    this.temporary = undefined;
  }
}
