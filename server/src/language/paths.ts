/**
 * Slash-separated path and file-URI arithmetic, pure (no `node:path`): the Dockerfile a build step
 * names is resolved against the task file's folder, and a related-information link needs its URI.
 */
import { cleanPath } from '../task/goPath';

/** Joins a relative path onto a folder (both slash-separated) and cleans the result like Go's path.Clean. */
export function joinPath(folder: string, relative: string): string {
  if (relative.startsWith('/')) return cleanPath(relative);
  if (folder === '' || folder === '.') return cleanPath(relative);
  return cleanPath(`${folder}/${relative}`);
}

/** True for a build context that is not a local folder (git/http/oci URLs): nothing to read locally. */
export function isRemoteContext(context: string): boolean {
  return /^(https?:\/\/|git@|git:\/\/|oci:\/\/|github\.com\/)/i.test(context);
}

/** The URI of a file given relative to the folder of `baseUri` (or absolute), for `file:` URIs. */
export function resolveUri(baseUri: string, path: string): string | undefined {
  const match = /^(file:\/\/[^/]*)(\/.*)$/.exec(baseUri);
  if (!match) return undefined;
  const folder = match[2].slice(0, match[2].lastIndexOf('/'));
  const encoded = path
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
  if (path.startsWith('/')) return `${match[1]}${cleanPath(encoded)}`;
  return `${match[1]}${joinPath(folder, encoded)}`;
}
