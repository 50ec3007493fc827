/**
 * The walk that produces a context's tar (see contextPacking.ts for which rules apply): depth first in
 * byte order of names, excluded directories skipped when nothing below can come back, symlinks stored as
 * links, small files read whole into shared slabs, large ones streamed.
 */
import {
  closeSync,
  createReadStream,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  type Stats,
} from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type * as tar from 'tar-stream';

import type { ContextReport } from './contextPacking';
import type { ContextFilter, FilterState } from './ignoreRules';

/** The context cannot be packed (missing directory, unreadable ignore file or Dockerfile). */
export class ContextPackingError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ContextPackingError';
  }
}

/** Files up to this size are read whole with one read; bigger ones stream from disk. */
const WHOLE_READ_MAX_BYTES = 256 * 1024;
/**
 * Small files are read into shared slabs of this size rather than one allocation each: thousands of
 * allocations of every size fragment the C heap, and the process keeps growing with the number of files
 * even though little is alive at any time. A slab is freed once the tar consumer has sent all its files.
 */
const SLAB_BYTES = 1024 * 1024;
/** The longest stretch of synchronous file-system work before the event loop gets a turn. */
const SLICE_MS = 8;

/**
 * Walks the context and writes the tar. Directory listings, lstat and reads of small files are
 * synchronous, in slices of at most {@link SLICE_MS} between event-loop turns: for a context of many
 * small files, the per-call round trip of the asynchronous API (a thread-pool hop each) costs several
 * times the system calls themselves — the docker CLI packs such a context 3× faster otherwise. Backpressure
 * comes from the tar stream: each entry is awaited until the consumer has taken it.
 */
export class ContextWalker {
  private sliceEnd = performance.now() + SLICE_MS;
  private slab = Buffer.allocUnsafe(0);
  private slabOffset = 0;

  constructor(
    private readonly root: string,
    private readonly filter: ContextFilter,
    private readonly pack: tar.Pack,
    private readonly report: ContextReport,
    private readonly largestCount: number,
    /** Root entries the caller sends itself instead (e.g. a rewritten `.dockerignore`). */
    private readonly replacedAtRoot: ReadonlySet<string> = new Set(),
  ) {}

  async walkDirectory(absDir: string, relDir: string, state: FilterState): Promise<void> {
    for (const entry of sortedEntries(absDir)) {
      await this.yieldWhenSliceIsUsed();
      const name = entry.name;
      if (relDir === '' && this.replacedAtRoot.has(name)) continue;
      const abs = path.join(absDir, name);
      const rel = relDir === '' ? name : `${relDir}/${name}`;
      const decision = this.filter.decide(rel, state);
      // An excluded file needs no lstat: the directory listing already says it is not a directory.
      if (decision.excluded && !entry.isDirectory() && !entry.isUnknown) continue;
      const stats = lstatSync(abs);
      if (stats.isDirectory()) {
        if (!decision.excluded) {
          await this.addHeader({ name: rel, type: 'directory', ...common(stats) });
          this.report.directories++;
        } else if (this.filter.canSkipExcludedDirectory(rel, decision)) {
          this.report.skippedDirectories.push(rel);
          continue;
        }
        await this.walkDirectory(abs, rel, decision);
      } else if (!decision.excluded) {
        await this.addEntry(abs, rel, stats);
      }
    }
  }

  private async yieldWhenSliceIsUsed(): Promise<void> {
    if (performance.now() < this.sliceEnd) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceEnd = performance.now() + SLICE_MS;
  }

  private async addEntry(abs: string, rel: string, stats: Stats): Promise<void> {
    if (stats.isFile()) {
      await this.addFile(abs, rel, stats);
    } else if (stats.isSymbolicLink()) {
      const target = readlinkSync(abs);
      await this.addHeader({ name: rel, type: 'symlink', linkname: target, ...common(stats) });
      this.report.symlinks++;
      const resolved = path.resolve(path.dirname(abs), target);
      if (relativeInside(this.root, resolved) === undefined) this.report.externalSymlinks.push(rel);
    } else if (stats.isFIFO()) {
      await this.addHeader({ name: rel, type: 'fifo', ...common(stats) });
    } else {
      // Sockets cannot be archived (docker skips them too); devices make no sense in a build context.
      this.report.unsupported.push(rel);
    }
  }

  async addFile(abs: string, name: string, stats: Stats): Promise<void> {
    if (stats.size <= WHOLE_READ_MAX_BYTES) {
      const content = this.readSmallFile(abs, stats.size);
      await new Promise<void>((resolve, reject) =>
        this.pack.entry({ name, type: 'file', ...common(stats) }, content, (error?: Error | null) =>
          error ? reject(error) : resolve(),
        ),
      );
    } else {
      const entry = this.pack.entry({ name, type: 'file', size: stats.size, ...common(stats) });
      // Read exactly the stat'ed size: a file growing meanwhile must not corrupt the tar framing.
      await pipeline(
        createReadStream(abs, { start: 0, end: stats.size - 1 }),
        entry as unknown as NodeJS.WritableStream,
      );
    }
    this.report.files++;
    this.report.totalBytes += stats.size;
    this.noteSize(name, stats.size);
    this.report.paths?.push(name);
  }

  /** A file that is not on disk as sent (mode 0644, mtime now). */
  async addGenerated(name: string, content: Buffer): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.pack.entry({ name, type: 'file', mode: 0o644, mtime: new Date() }, content, (error?: Error | null) =>
        error ? reject(error) : resolve(),
      ),
    );
    this.report.files++;
    this.report.totalBytes += content.length;
    this.noteSize(name, content.length);
    this.report.paths?.push(name);
  }

  /** The file's content in the current slab (a new slab when it does not fit). */
  private readSmallFile(file: string, size: number): Buffer {
    if (this.slabOffset + size > this.slab.length) {
      this.slab = Buffer.allocUnsafe(SLAB_BYTES);
      this.slabOffset = 0;
    }
    const content = this.slab.subarray(this.slabOffset, this.slabOffset + size);
    readExactlySync(file, content);
    // 8-byte alignment keeps typed-array views of the content possible for consumers.
    this.slabOffset += (size + 7) & ~7;
    return content;
  }

  private async addHeader(header: Partial<tar.Header> & { name: string }): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.pack.entry(header, (error?: Error | null) => (error ? reject(error) : resolve())),
    );
    this.report.paths?.push(header.name);
  }

  private noteSize(name: string, size: number): void {
    const largest = this.report.largest;
    if (largest.length === this.largestCount && (largest[largest.length - 1]?.size ?? 0) >= size) return;
    largest.push({ path: name, size });
    largest.sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
    if (largest.length > this.largestCount) largest.pop();
  }
}

interface ListedEntry {
  name: string;
  isDirectory(): boolean;
  /** The file system did not report a type (then only lstat can tell). */
  isUnknown: boolean;
}

/** A directory's entries in byte order of their names (Go's filepath.Walk order, what docker sends). */
function sortedEntries(directory: string): ListedEntry[] {
  const entries = readdirSync(directory, { withFileTypes: true }).map((dirent) => ({
    name: dirent.name,
    isDirectory: () => dirent.isDirectory(),
    isUnknown:
      !dirent.isFile() &&
      !dirent.isDirectory() &&
      !dirent.isSymbolicLink() &&
      !dirent.isFIFO() &&
      !dirent.isSocket() &&
      !dirent.isBlockDevice() &&
      !dirent.isCharacterDevice(),
  }));
  // UTF-16 order is byte order for ASCII names; others are compared as UTF-8 bytes.
  if (entries.every((entry) => /^[ -~]*$/.test(entry.name)))
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const bytes = new Map(entries.map((entry) => [entry, Buffer.from(entry.name)]));
  return entries.sort((a, b) => Buffer.compare(bytes.get(a)!, bytes.get(b)!));
}

/**
 * Fills `target` from the start of a file: exactly the stat'ed size (a file growing meanwhile must not
 * corrupt the tar framing); a file that shrank since it was stat'ed is an error, as for a streamed entry.
 */
function readExactlySync(file: string, target: Buffer): void {
  if (target.length === 0) return;
  const fd = openSync(file, 'r');
  try {
    let offset = 0;
    while (offset < target.length) {
      const read = readSync(fd, target, offset, target.length - offset, offset);
      if (read === 0) throw new ContextPackingError(`${file} shrank while the context was being packed`, file);
      offset += read;
    }
  } finally {
    closeSync(fd);
  }
}

function common(stats: Stats): Pick<tar.Header, 'mode' | 'mtime' | 'uid' | 'gid'> {
  return { mode: stats.mode & 0o7777, mtime: stats.mtime, uid: stats.uid, gid: stats.gid };
}

/** `/`-separated path of `abs` inside `root`, or undefined when it is outside (or is the root). */
export function relativeInside(root: string, abs: string): string | undefined {
  const rel = path.relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}
