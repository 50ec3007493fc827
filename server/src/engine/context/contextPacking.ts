/**
 * Packs a directory into a tar stream for a build or for populating the run's workspace volume.
 *
 * Which ignore rules apply depends on who ACR would have packed the files (§9.1):
 * - `acr-upload`: what `az acr build` / `az acr run` upload, i.e. what the workspace holds in ACR. Uses
 *   `<context>/<DockerfileName>.dockerignore` instead of `.dockerignore` when the Dockerfile is not named
 *   `Dockerfile` and that file exists, always drops VCS metadata at the root, and adds the Dockerfile
 *   once more at the archive root as `<uuidhex>_<basename>`.
 * - `docker-classic`: what the docker CLI sends with `DOCKER_BUILDKIT=0` (ACR's default build step):
 *   only `<context>/.dockerignore` (docker 20.10's CLI ignores per-Dockerfile files); Dockerfile and
 *   `.dockerignore` always sent.
 * - `docker-buildkit`: the ignore file `<Dockerfile path>.dockerignore` next to the Dockerfile wins over
 *   `<context>/.dockerignore` (BuildKit), and re-includes below excluded directories work.
 * - `acr-build`: what the build of `az acr build` receives from a local context — the `acr-upload` tree as
 *   the agent's docker CLI (classic builder) sends it: an entry must pass the az rules *and* docker's rules
 *   of the uploaded `.dockerignore` (absent when az left it out, e.g. because a `<Dockerfile>.dockerignore`
 *   override was used). The Dockerfile is the uploaded `<uuidhex>_<basename>` copy. Packed in one pass.
 *
 * The tar is produced while walking: file contents are streamed from disk, never buffered, and the walk
 * never enters an excluded directory unless a `!` rule could bring something back from below it.
 * Symlinks are stored as symlinks (never followed), modes and mtimes are kept, order is deterministic
 * (byte order of names, depth first — like Go's filepath.Walk).
 */
import { randomUUID } from 'node:crypto';
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
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';

import { ChunkCoalescer } from './chunkCoalescer';
import { intersectFilters } from './intersectFilters';
import {
  createAzFilter,
  createDockerFilter,
  parseDockerignore,
  type ContextFilter,
  type FilterState,
} from './ignoreRules';

export type PackingMode = 'acr-upload' | 'acr-build' | 'docker-classic' | 'docker-buildkit';

export interface PackContextOptions {
  /** The context directory. */
  contextDir: string;
  mode: PackingMode;
  /** The Dockerfile (absolute, or relative to `contextDir`); may live outside the context. */
  dockerfile?: string;
  /** Collect every path sent into the report (for `--list-context`). */
  listPaths?: boolean;
  /** How many of the largest files the report names. Default 10. */
  largestCount?: number;
  /** Source of the hex id in generated Dockerfile names; tests make it deterministic. */
  generateId?: () => string;
}

export interface ContextEntrySize {
  path: string;
  size: number;
}

/** What was sent; complete when the tar stream has ended. */
export interface ContextReport {
  /** The ignore file that applied, relative to the context (or absolute when outside it). */
  ignoreFile: string | undefined;
  files: number;
  directories: number;
  symlinks: number;
  /** Sum of regular-file sizes (the tar itself adds headers and padding). */
  totalBytes: number;
  /** Largest files first. */
  largest: ContextEntrySize[];
  /** Where the Dockerfile is inside the tar (what to pass to the builder). */
  dockerfileInTar: string | undefined;
  /** The ignore rules match the Dockerfile: docker still sends it, but ACR's build step fails (Azure/acr#613). */
  dockerfileExcluded: boolean;
  /** Excluded directories whose contents were never read. */
  skippedDirectories: string[];
  /** Symlinks whose target resolves outside the context: they will dangle inside the container. */
  externalSymlinks: string[];
  /** Entries that cannot be put in a tar (sockets, devices) and were left out. */
  unsupported: string[];
  /** Rule problems (invalid patterns). */
  warnings: string[];
  /** Every entry sent, in tar order, when `listPaths` was set. */
  paths?: string[];
}

export interface PackedContext {
  /** The tar stream; an error while packing destroys it with that error. */
  stream: Readable;
  /** Where the Dockerfile is inside the tar, known before packing starts. */
  dockerfileInTar: string | undefined;
  /** Resolves when the stream has been fully produced; rejects with the packing error. */
  report: Promise<ContextReport>;
}

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

/** Start packing; rejects early for a missing context or Dockerfile, then streams. */
export async function packContext(options: PackContextOptions): Promise<PackedContext> {
  const root = await realDirectory(options.contextDir);
  const dockerfileAbs = options.dockerfile ? await realFile(path.resolve(root, options.dockerfile)) : undefined;
  const dockerfileStat = dockerfileAbs ? await fs.stat(dockerfileAbs) : undefined;
  const dockerfileRel = dockerfileAbs ? relativeInside(root, dockerfileAbs) : undefined;
  const generateId = options.generateId ?? (() => randomUUID().replace(/-/g, ''));

  const selection = await selectFilter(root, options.mode, dockerfileAbs, dockerfileRel);
  let extraDockerfileName: string | undefined;
  if (dockerfileAbs && (options.mode === 'acr-upload' || options.mode === 'acr-build')) {
    extraDockerfileName = `${generateId()}_${path.basename(dockerfileAbs)}`;
  } else if (dockerfileAbs && dockerfileRel === undefined) {
    // The docker CLI's name for a Dockerfile from outside the context (`.dockerfile.` + 20 hex digits).
    extraDockerfileName = `.dockerfile.${generateId().slice(0, 20)}`;
  }
  const dockerfileInTar = extraDockerfileName ?? dockerfileRel;

  const report: ContextReport = {
    ignoreFile: selection.ignoreFile,
    files: 0,
    directories: 0,
    symlinks: 0,
    totalBytes: 0,
    largest: [],
    dockerfileInTar,
    dockerfileExcluded: selection.dockerfileExcluded,
    skippedDirectories: [],
    externalSymlinks: [],
    unsupported: [],
    warnings: [...selection.filter.warnings],
    ...(options.listPaths ? { paths: [] } : {}),
  };
  const pack = tar.pack();
  const output = new ChunkCoalescer();
  const walker = new ContextWalker(root, selection.filter, pack, report, options.largestCount ?? 10);
  const produced = (async () => {
    await walker.walkDirectory(root, '', selection.filter.root);
    if (dockerfileAbs && dockerfileStat && extraDockerfileName) {
      await walker.addFile(dockerfileAbs, extraDockerfileName, dockerfileStat);
    }
    pack.finalize();
  })();
  const piped = pipeline(pack as unknown as Readable, output);
  const reportPromise = Promise.all([produced, piped]).then(
    () => report,
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      pack.destroy(failure);
      output.destroy(failure);
      throw failure;
    },
  );
  // The caller may only consume the stream; the error then arrives through the stream.
  reportPromise.catch(() => undefined);
  return { stream: output, dockerfileInTar, report: reportPromise };
}

interface FilterSelection {
  filter: ContextFilter;
  ignoreFile: string | undefined;
  dockerfileExcluded: boolean;
}

async function selectFilter(
  root: string,
  mode: PackingMode,
  dockerfileAbs: string | undefined,
  dockerfileRel: string | undefined,
): Promise<FilterSelection> {
  const rootIgnore = path.join(root, '.dockerignore');
  if (mode === 'acr-upload' || mode === 'acr-build') {
    const basename = dockerfileAbs ? path.basename(dockerfileAbs) : undefined;
    const override = basename && basename !== 'Dockerfile' ? path.join(root, `${basename}.dockerignore`) : undefined;
    const overrideText = override ? await readOptional(override) : undefined;
    const rootText = await readOptional(rootIgnore);
    const text = overrideText ?? rootText;
    const used = overrideText !== undefined ? override : text !== undefined ? rootIgnore : undefined;
    const az = createAzFilter(text, overrideText !== undefined);
    // The docker CLI on the agent applies the same file again to the build; a match there fails ACR.
    const dockerfileExcluded = text !== undefined && dockerfileRel !== undefined && dockerMatches(text, dockerfileRel);
    const ignoreFile = used && displayPath(root, used);
    if (mode === 'acr-upload') return { filter: az, ignoreFile, dockerfileExcluded };
    // The agent's docker CLI reads the uploaded `.dockerignore`: there only when az kept it.
    const uploaded = rootText !== undefined && !az.decide('.dockerignore', az.root).excluded;
    const agent = createDockerFilter(uploaded ? parseDockerignore(rootText) : [], {
      walker: 'classic',
      forceInclude: ['.dockerignore'],
    });
    return { filter: intersectFilters(az, agent), ignoreFile, dockerfileExcluded };
  }
  const perDockerfile = mode === 'docker-buildkit' && dockerfileAbs ? `${dockerfileAbs}.dockerignore` : undefined;
  const perDockerfileText = perDockerfile ? await readOptional(perDockerfile) : undefined;
  const text = perDockerfileText ?? (await readOptional(rootIgnore));
  const used = perDockerfileText !== undefined ? perDockerfile : text !== undefined ? rootIgnore : undefined;
  const patterns = text === undefined ? [] : parseDockerignore(text);
  const forceInclude = ['.dockerignore', ...(dockerfileRel !== undefined ? [dockerfileRel] : [])];
  const filter = createDockerFilter(patterns, {
    walker: mode === 'docker-classic' ? 'classic' : 'buildkit',
    forceInclude,
  });
  const dockerfileExcluded = text !== undefined && dockerfileRel !== undefined && dockerMatches(text, dockerfileRel);
  return { filter, ignoreFile: used && displayPath(root, used), dockerfileExcluded };
}

function dockerMatches(ignoreText: string, relPath: string): boolean {
  const filter = createDockerFilter(parseDockerignore(ignoreText), { walker: 'buildkit', forceInclude: [] });
  return filter.decide(relPath, filter.root).excluded;
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
class ContextWalker {
  private sliceEnd = performance.now() + SLICE_MS;
  private slab = Buffer.allocUnsafe(0);
  private slabOffset = 0;

  constructor(
    private readonly root: string,
    private readonly filter: ContextFilter,
    private readonly pack: tar.Pack,
    private readonly report: ContextReport,
    private readonly largestCount: number,
  ) {}

  async walkDirectory(absDir: string, relDir: string, state: FilterState): Promise<void> {
    for (const entry of sortedEntries(absDir)) {
      await this.yieldWhenSliceIsUsed();
      const name = entry.name;
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

async function realDirectory(dir: string): Promise<string> {
  let real: string;
  try {
    real = await fs.realpath(dir);
  } catch {
    throw new ContextPackingError(`the build context ${dir} does not exist`, dir);
  }
  const stats = await fs.stat(real);
  if (!stats.isDirectory()) throw new ContextPackingError(`the build context ${dir} is not a directory`, dir);
  return real;
}

async function realFile(file: string): Promise<string> {
  try {
    const real = await fs.realpath(file);
    if ((await fs.stat(real)).isFile()) return real;
  } catch {
    // fall through to the typed error
  }
  throw new ContextPackingError(`the Dockerfile ${file} does not exist or is not a file`, file);
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ContextPackingError(`cannot read ${file}: ${(error as Error).message}`, file);
  }
}

/** `/`-separated path of `abs` inside `root`, or undefined when it is outside (or is the root). */
function relativeInside(root: string, abs: string): string | undefined {
  const rel = path.relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

function displayPath(root: string, file: string): string {
  return relativeInside(root, file) ?? file;
}
