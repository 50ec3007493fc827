import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';
import { collectProgress } from './dockerStreams';
import { withMachineLock } from './machineLock';
import { runTool } from './processes';

/** The base image every integration test can rely on: busybox-static with all its applets on PATH. */
export const BUSYBOX_IMAGE = 'acrtest/busybox:1';

/** Applets the tests rely on; building an image fails loudly if the host's busybox lacks one. */
export const REQUIRED_APPLETS: readonly string[] = [
  'sh', 'echo', 'cat', 'ls', 'sleep', 'env', 'pwd', 'true', 'false', 'wc', 'grep', 'sed', 'printf', 'mkdir',
  'rm', 'touch', 'head', 'tail', 'id', 'whoami', 'nc', 'wget', 'httpd', 'base64', 'sha256sum', 'date', 'test',
  '[', 'tr', 'cut', 'seq', 'hostname', 'nslookup', 'ping', 'kill', 'ps', 'which', 'find', 'xargs', 'sort',
  'uniq', 'tee', 'chmod', 'cp', 'mv', 'ln', 'expr', 'awk', 'tar', 'gzip', 'uname', 'basename', 'dirname',
  'stat', 'timeout', 'yes',
]; // prettier-ignore

const BUSYBOX_BINARY = '/bin/busybox';
/** Bump when the root layout below changes, so existing images get rebuilt. */
const LAYOUT_VERSION = 1;
const CONTENT_LABEL = 'acrtest.content';

export interface BusyboxImageOptions {
  /** Extra files, absolute path in the image → content; this is how base-image variants differ. */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * Makes sure `reference` (e.g. `acrtest/base:v2`) exists on the engine as a busybox root plus `files`,
 * importing it only when it is absent or was made from different content (a label records the content
 * hash), so reruns are fast and variants really differ. Resolves to the image id.
 */
export async function ensureBusyboxImage(
  docker: Dockerode,
  reference: string,
  options: BusyboxImageOptions = {},
): Promise<string> {
  const files = options.files ?? {};
  for (const file of Object.keys(files)) {
    if (!path.posix.isAbsolute(file) || path.posix.normalize(file) !== file || file === '/') {
      throw new Error(`ensureBusyboxImage: file paths must be absolute and normalised, got ${JSON.stringify(file)}`);
    }
  }
  const busybox = readFileSync(BUSYBOX_BINARY);
  const contentHash = createHash('sha256')
    .update(JSON.stringify({ layout: LAYOUT_VERSION, busybox: createHash('sha256').update(busybox).digest('hex') }))
    .update(JSON.stringify(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))))
    .digest('hex');

  // Concurrent runs must not both import (each import makes a new image id, and the last tag wins).
  return withMachineLock('images', async () => {
    const existing = await inspectImage(docker, reference);
    if (existing?.Config?.Labels?.[CONTENT_LABEL] === contentHash) {
      return existing.Id;
    }
    return importBusyboxRoot(docker, reference, busybox, files, contentHash);
  });
}

async function importBusyboxRoot(
  docker: Dockerode,
  reference: string,
  busybox: Buffer,
  files: Readonly<Record<string, string>>,
  contentHash: string,
): Promise<string> {
  const applets = await listApplets();
  const missing = REQUIRED_APPLETS.filter((name) => !applets.some((applet) => path.posix.basename(applet) === name));
  if (missing.length > 0) {
    throw new Error(`${BUSYBOX_BINARY} lacks applets ${missing.join(', ')}; install busybox-static`);
  }
  const { repo, tag } = splitReference(reference);
  const stream = await docker.importImage(Readable.from(packRoot(busybox, applets, files)), {
    repo,
    tag,
    // The engine applies these Dockerfile instructions to the imported image.
    changes: [
      `LABEL ${CONTENT_LABEL}=${contentHash}`,
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'CMD ["sh"]',
    ],
  } as Record<string, unknown>);
  await collectProgress(docker, stream);
  const imported = await inspectImage(docker, reference);
  if (!imported) {
    throw new Error(`ensureBusyboxImage: ${reference} is missing after the import`);
  }
  return imported.Id;
}

async function inspectImage(docker: Dockerode, reference: string): Promise<Dockerode.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(reference).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) {
      return undefined;
    }
    throw error;
  }
}

/** `bin/sh`, `usr/bin/env`, … as busybox installs them, so every applet sits where scripts expect it. */
async function listApplets(): Promise<string[]> {
  const output = await runTool(BUSYBOX_BINARY, ['--list-full']);
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && line !== 'bin/busybox');
}

function splitReference(reference: string): { repo: string; tag: string } {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  return colon > slash
    ? { repo: reference.slice(0, colon), tag: reference.slice(colon + 1) }
    : { repo: reference, tag: 'latest' };
}

const ETC_PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const ETC_GROUP = 'root:x:0:\nnogroup:x:65534:\n';

/** A root file system as a tar stream: busybox, its applet symlinks, a minimal /etc, and the extra files. */
function packRoot(busybox: Buffer, applets: readonly string[], files: Readonly<Record<string, string>>): tar.Pack {
  const pack = tar.pack();
  const mtime = new Date(0);
  const directories = new Set<string>(['bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'etc', 'root', 'tmp', 'var']);
  const contents = new Map<string, string>([
    ['etc/passwd', ETC_PASSWD],
    ['etc/group', ETC_GROUP],
  ]);
  for (const [file, content] of Object.entries(files)) {
    contents.set(file.slice(1), content);
  }
  for (const entry of [...applets, ...contents.keys()]) {
    for (let dir = path.posix.dirname(entry); dir !== '.'; dir = path.posix.dirname(dir)) {
      directories.add(dir);
    }
  }
  for (const dir of [...directories].sort()) {
    pack.entry({ name: `${dir}/`, type: 'directory', mode: dir === 'tmp' ? 0o1777 : 0o755, mtime });
  }
  pack.entry({ name: 'bin/busybox', mode: 0o755, mtime }, busybox);
  for (const applet of applets) {
    pack.entry({ name: applet, type: 'symlink', linkname: '/bin/busybox', mode: 0o777, mtime });
  }
  for (const [file, content] of contents) {
    pack.entry({ name: file, mode: 0o644, mtime }, content);
  }
  pack.finalize();
  return pack;
}
