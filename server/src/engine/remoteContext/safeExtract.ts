/**
 * Unpacks a downloaded context archive into a folder without ever writing outside it, whatever the
 * archive holds: names are cleaned like moby's `Untar` (a leading `/` is dropped, `..` that would leave
 * the folder is refused), symlinks are created as links but nothing is ever written *through* a link (a
 * `link -> /etc` followed by `link/passwd` is refused), and hard links must point at a file unpacked
 * before. Files stream to disk; modes and modification times are kept. Devices and FIFOs are skipped.
 */
import { createWriteStream } from 'node:fs';
import { chmod, link, lstat, mkdir, rm, symlink, utimes } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';

/** The archive has an entry that would escape the folder or is otherwise unusable. */
export class TarExtractError extends Error {
  override name = 'TarExtractError';
}

/** Archive name → `/`-separated path inside the folder, or an error for one that leaves it. */
export function cleanEntryName(name: string): string {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw new TarExtractError(`bad archive: the entry ${name} points outside the context`);
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.join('/');
}

class Extractor {
  /** Directories known to be real directories inside the folder (never links). */
  private readonly safeDirectories = new Set<string>(['']);
  private readonly fileTimes: { file: string; mtime: Date }[] = [];

  constructor(private readonly root: string) {}

  /** Makes sure every parent of `rel` is a real directory inside the folder, creating missing ones. */
  private async prepareParents(rel: string): Promise<void> {
    const parts = rel.split('/');
    parts.pop();
    let current = '';
    for (const part of parts) {
      current = current === '' ? part : `${current}/${part}`;
      if (this.safeDirectories.has(current)) continue;
      const absolute = path.join(this.root, current);
      const stats = await lstat(absolute).catch(() => undefined);
      if (stats === undefined) await mkdir(absolute);
      else if (!stats.isDirectory())
        throw new TarExtractError(`bad archive: the entry ${rel} goes through ${current}, which is not a directory`);
      this.safeDirectories.add(current);
    }
  }

  /** Removes what is at `rel` unless it is a directory we keep (tar semantics: later entries replace). */
  private async clear(rel: string): Promise<void> {
    const stats = await lstat(path.join(this.root, rel)).catch(() => undefined);
    if (stats && !stats.isDirectory()) await rm(path.join(this.root, rel), { force: true });
  }

  async entry(header: tar.Header, body: Readable): Promise<void> {
    const rel = cleanEntryName(header.name);
    const absolute = path.join(this.root, rel);
    if (rel === '') {
      body.resume();
      return;
    }
    await this.prepareParents(rel);
    const mode = (header.mode ?? 0o644) & 0o7777;
    switch (header.type) {
      case 'directory': {
        const stats = await lstat(absolute).catch(() => undefined);
        if (stats && !stats.isDirectory())
          throw new TarExtractError(`bad archive: the directory ${rel} would replace a file or link`);
        if (!stats) await mkdir(absolute);
        await chmod(absolute, mode | 0o700);
        this.safeDirectories.add(rel);
        body.resume();
        return;
      }
      case 'file':
      case 'contiguous-file': {
        await this.clear(rel);
        // `wx`: never opens an existing path, so a link planted at this name cannot be followed.
        await pipeline(body, createWriteStream(absolute, { flags: 'wx', mode }));
        await chmod(absolute, mode);
        if (header.mtime) this.fileTimes.push({ file: absolute, mtime: header.mtime });
        return;
      }
      case 'symlink': {
        await this.clear(rel);
        await symlink(header.linkname ?? '', absolute);
        body.resume();
        return;
      }
      case 'link': {
        const target = cleanEntryName(header.linkname ?? '');
        const targetStats = await lstat(path.join(this.root, target)).catch(() => undefined);
        if (!targetStats?.isFile())
          throw new TarExtractError(
            `bad archive: the hard link ${rel} points at ${header.linkname}, which is not a file in the archive`,
          );
        await this.prepareParents(target);
        await this.clear(rel);
        await link(path.join(this.root, target), absolute);
        body.resume();
        return;
      }
      default:
        // Devices, FIFOs and unknown types have no place in a build context.
        body.resume();
    }
  }

  async finish(): Promise<void> {
    for (const { file, mtime } of this.fileTimes) await utimes(file, mtime, mtime).catch(() => undefined);
  }
}

/** Unpacks a tar stream into `destination` (an existing, empty folder). */
export async function extractTar(stream: Readable, destination: string, signal: AbortSignal): Promise<void> {
  const extractor = new Extractor(path.resolve(destination));
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, body, next) => {
      if (signal.aborted) {
        next(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
        return;
      }
      extractor.entry(header, body as unknown as Readable).then(
        () => next(),
        (error: unknown) => {
          body.resume();
          next(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
    extract.on('finish', () => resolve());
    extract.on('error', reject);
    stream.on('error', reject);
  });
  stream.pipe(extract);
  await done;
  await extractor.finish();
}
