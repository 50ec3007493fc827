/**
 * Pieces of the volume data path. Volumes are filled and read through a never-started helper container
 * that mounts the volume at {@link HELPER_MOUNT} — the data goes through the Engine API's archive
 * endpoints, so this works on a remote engine too. The helper's image is imported by the runtime itself
 * from a tiny tar ({@link helperImageTar}): nothing is pulled, nothing external is needed.
 */
import * as path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import * as tar from 'tar-stream';

import { RuntimeError } from '../ContainerRuntime';

export const HELPER_IMAGE = 'acr-tasks-local/volume-helper:1';
export const HELPER_MOUNT = '/v';
/** Label marking helper containers and the helper image, so they are recognisable in `docker ps -a`. */
export const HELPER_LABEL = 'dev.acr-tasks-local.helper';
/** The helper is only ever created, never started; the command exists only because create demands one. */
export const HELPER_COMMAND = ['/acr-tasks-local-volume-helper-is-never-started'];

const README = `This image only backs never-started containers that acr-tasks-local uses to copy files into
and out of Docker volumes through the Engine API. It holds no programs. It is safe to delete; it is
re-imported when needed.
`;

/** The helper image's root filesystem: the mount point and a note saying what the image is. */
export async function helperImageTar(): Promise<Buffer> {
  const mtime = new Date(0);
  return packToBuffer((pack) => {
    pack.entry({ name: `${HELPER_MOUNT.slice(1)}/`, type: 'directory', mode: 0o755, mtime });
    pack.entry({ name: 'README.acr-tasks-local', type: 'file', mode: 0o644, mtime }, README);
  });
}

/**
 * A path inside a volume, normalised and confined to it: `''`, `/`, `.` → `''`; `a/../b/` → `b`.
 * Paths climbing out of the volume are refused.
 */
export function volumeSubpath(input: string): string {
  if (!isInside(input)) throw new RuntimeError(`the volume path "${input}" leaves the volume`, 'volume path');
  const normalized = path.posix.normalize(`/${input}`);
  return normalized === '/' ? '' : normalized.replace(/^\/+/, '').replace(/\/+$/, '');
}

function isInside(input: string): boolean {
  let depth = 0;
  for (const part of input.split('/')) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
    if (depth < 0) return false;
  }
  return true;
}

/** A tar holding only the directories `a/`, `a/b/`, … of `subpath`, to create it before extracting into it. */
export async function directoryChainTar(subpath: string): Promise<Buffer> {
  const parts = subpath.split('/').filter((part) => part !== '');
  return packToBuffer((pack) => {
    for (let i = 1; i <= parts.length; i++) {
      pack.entry({ name: `${parts.slice(0, i).join('/')}/`, type: 'directory', mode: 0o755, mtime: new Date() });
    }
  });
}

/** A small in-memory tar (only for these few-hundred-byte archives; contexts are always streamed). */
async function packToBuffer(fill: (pack: tar.Pack) => void): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('data', (chunk) => chunks.push(chunk as Buffer));
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  fill(pack);
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/**
 * The same tar with every entry moved under `prefix` (hard-link targets too; symlink targets are kept
 * verbatim). Extracting at the container root instead of inside the volume matters: the engine refuses
 * a relative symlink that points above the extraction directory ("invalid symlink"), which a workspace
 * may legitimately contain (docker build accepts it). Streams entry by entry.
 */
export function prefixTarEntries(input: Readable, prefix: string): Readable {
  const extract = tar.extract();
  const pack = tar.pack();
  const output = new PassThrough();
  const base = prefix.replace(/\/+$/, '');
  const rename = (name: string): string => {
    const relative = path.posix.normalize(`/${name}`).replace(/^\/+|\/+$/g, '');
    return relative === '' ? base : `${base}/${relative}`;
  };
  extract.on('entry', (header, body, next) => {
    const renamed = { ...header, name: rename(header.name) };
    if (header.type === 'link' && header.linkname) renamed.linkname = rename(header.linkname);
    const sink = pack.entry(renamed, (error) => next(error ?? undefined));
    body.pipe(sink);
  });
  extract.on('finish', () => pack.finalize());
  const fail = (error: Error): void => {
    output.destroy(error);
    extract.destroy(error);
    pack.destroy(error);
  };
  input.on('error', fail);
  extract.on('error', fail);
  pack.on('error', fail);
  input.pipe(extract);
  (pack as unknown as Readable).pipe(output);
  return output;
}
