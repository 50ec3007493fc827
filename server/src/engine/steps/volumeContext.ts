/**
 * Build contexts taken from the run's workspace volume, so files written by earlier steps are part of
 * them (as in ACR, where the docker CLI of a build step reads `/workspace`). The volume's tar goes
 * through the docker CLI's `.dockerignore` rules (classic builder, ACR's default) on its way to the
 * engine; a Dockerfile outside the context is added the CLI's way (context/externalDockerfile.ts).
 */
import * as posix from 'node:path/posix';
import { PassThrough, type Readable } from 'node:stream';
import * as tar from 'tar-stream';

import { WORKSPACE_DIR } from '../../task/model';
import type { ContainerRuntime } from '../ContainerRuntime';
import { dockerignoreWithExternalDockerfile, externalDockerfileName } from '../context/externalDockerfile';
import { createDockerFilter, parseDockerignore, type ContextFilter } from '../context/ignoreRules';

/** `/workspace/a/b` → the path inside the workspace volume (`a/b`; `''` for the root). */
export function workspaceSubpath(absolute: string): string {
  return posix.relative(WORKSPACE_DIR, absolute);
}

/**
 * Entry names of a volume tar relative to the directory that was asked for. The Engine API's archive
 * endpoint names entries after the directory itself (`src/…`); a runtime may already strip that.
 */
function relativeName(name: string, prefix: string | undefined): string | undefined {
  const clean = name.replace(/^\.\//, '').replace(/\/+$/, '');
  if (prefix === undefined) return clean;
  if (clean === prefix) return '';
  return clean.startsWith(`${prefix}/`) ? clean.slice(prefix.length + 1) : undefined;
}

/** Reads one file from a volume; undefined when it does not exist. */
export async function readVolumeFile(
  runtime: ContainerRuntime,
  volume: string,
  subpath: string,
  labels: Record<string, string>,
  signal: AbortSignal,
): Promise<Buffer | undefined> {
  let stream: Readable;
  try {
    stream = await runtime.readFromVolume(volume, subpath, labels, signal);
  } catch {
    return undefined;
  }
  const extract = tar.extract();
  let content: Buffer | undefined;
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (chunk: unknown) => {
        if (content === undefined && header.type === 'file' && Buffer.isBuffer(chunk)) chunks.push(chunk);
      });
      body.on('end', () => {
        if (content === undefined && header.type === 'file') content = Buffer.concat(chunks);
        next();
      });
      body.resume();
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
    stream.on('error', reject);
  });
  stream.pipe(extract);
  await done;
  return content;
}

export interface VolumeContextOptions {
  /** The context directory's tar, as read from the volume. */
  source: Readable;
  /** The name the archive gives the context directory itself (its basename), if the runtime keeps it. */
  topDirectory: string;
  /** `.dockerignore` of the context, if any. */
  dockerignore?: string;
  /** The Dockerfile's path inside the context, when it is inside; the docker CLI never drops it. */
  dockerfileInContext?: string;
  /** A Dockerfile from outside the context: added to the tar under a generated name. */
  externalDockerfile?: Buffer;
}

export interface VolumeContext {
  stream: Readable;
  /** Where the Dockerfile is inside the produced tar. */
  dockerfileInTar: string | undefined;
  /** Resolves when the whole tar has been produced. */
  done: Promise<void>;
}

/** Streams the context tar with the ignore rules applied and the entry names made context-relative. */
export function volumeBuildContext(options: VolumeContextOptions): VolumeContext {
  const filter: ContextFilter = createDockerFilter(parseDockerignore(options.dockerignore ?? ''), {
    walker: 'classic',
    forceInclude: ['.dockerignore', ...(options.dockerfileInContext ? [options.dockerfileInContext] : [])],
  });
  const externalName = options.externalDockerfile ? externalDockerfileName() : undefined;
  const extract = tar.extract();
  const pack = tar.pack();
  const output = new PassThrough();
  const skippedDirectories: string[] = [];
  let prefix: string | undefined | null = null; // null: not decided yet

  const done = new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      output.destroy(error instanceof Error ? error : new Error(String(error)));
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    extract.on('entry', (header, body, next) => {
      if (prefix === null) {
        const first = header.name.replace(/^\.\//, '').replace(/\/+$/, '');
        prefix =
          options.topDirectory !== '' && header.type === 'directory' && first === options.topDirectory
            ? options.topDirectory
            : undefined;
      }
      const name = relativeName(header.name, prefix);
      const skip =
        name === undefined ||
        name === '' ||
        // Sent rewritten at the end (externalDockerfile.ts).
        (externalName !== undefined && name === '.dockerignore') ||
        skippedDirectories.some((directory) => name.startsWith(`${directory}/`)) ||
        filter.decide(name, filter.root).excluded;
      if (skip) {
        if (
          name &&
          header.type === 'directory' &&
          filter.decide(name, filter.root).excluded &&
          filter.canSkipExcludedDirectory(name, { excluded: true })
        ) {
          skippedDirectories.push(name);
        }
        body.on('end', () => next());
        body.resume();
        return;
      }
      const entry = pack.entry({ ...header, name: header.type === 'directory' ? `${name}/` : name }, (error) =>
        error ? fail(error) : next(),
      );
      body.pipe(entry);
    });
    extract.on('finish', () => {
      if (options.externalDockerfile && externalName) {
        pack.entry(
          { name: '.dockerignore', mode: 0o644 },
          dockerignoreWithExternalDockerfile(options.dockerignore, externalName),
        );
        pack.entry({ name: externalName, mode: 0o644 }, options.externalDockerfile);
      }
      pack.finalize();
    });
    extract.on('error', fail);
    options.source.on('error', fail);
    pack.on('error', fail);
    pack.on('end', () => resolve());
  });
  options.source.pipe(extract);
  pack.pipe(output);
  done.catch(() => undefined);
  return { stream: output, dockerfileInTar: externalName ?? options.dockerfileInContext, done };
}
