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
 *   `.dockerignore` always sent; a Dockerfile from outside the context as externalDockerfile.ts says.
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
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';

import { ChunkCoalescer } from './chunkCoalescer';
import { ContextPackingError, ContextWalker, relativeInside } from './contextWalker';
import { dockerignoreWithExternalDockerfile, externalDockerfileName } from './externalDockerfile';

export { ContextPackingError } from './contextWalker';
import { intersectFilters } from './intersectFilters';
import { createAzFilter, createDockerFilter, parseDockerignore, type ContextFilter } from './ignoreRules';

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
    extraDockerfileName = externalDockerfileName(generateId());
  }
  const dockerfileInTar = extraDockerfileName ?? dockerfileRel;
  // The docker CLI rewrites `.dockerignore` for a Dockerfile from outside the context (classic builder).
  const rewrittenIgnore =
    options.mode === 'docker-classic' && extraDockerfileName
      ? dockerignoreWithExternalDockerfile(await readOptional(path.join(root, '.dockerignore')), extraDockerfileName)
      : undefined;

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
  const replaced = new Set(rewrittenIgnore === undefined ? [] : ['.dockerignore']);
  const walker = new ContextWalker(root, selection.filter, pack, report, options.largestCount ?? 10, replaced);
  const produced = (async () => {
    await walker.walkDirectory(root, '', selection.filter.root);
    if (rewrittenIgnore !== undefined) await walker.addGenerated('.dockerignore', Buffer.from(rewrittenIgnore));
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

function displayPath(root: string, file: string): string {
  return relativeInside(root, file) ?? file;
}
