/**
 * The language service's window on the file system: values files, Dockerfiles, .dockerignore and
 * alias `src` files, read relative to the task file's folder. Reads are synchronous (they are small
 * files, read on the language service's call path) and cached briefly so a burst of keystrokes does
 * not re-read the same Dockerfile on every validation.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { uriToPath } from './taskFiles';

interface CacheEntry {
  mtimeMs: number;
  text: string | undefined;
}

export class FileHost {
  private readonly cache = new Map<string, CacheEntry>();

  /** Open editor buffers win over the disk (an unsaved values file should count). */
  constructor(private readonly openDocumentText: (path: string) => string | undefined) {}

  resolvePath(path: string, taskFileUri: string): string {
    return isAbsolute(path) ? path : resolve(dirname(uriToPath(taskFileUri)), path);
  }

  readFile(path: string, taskFileUri: string): string | undefined {
    const absolute = this.resolvePath(path, taskFileUri);
    const open = this.openDocumentText(absolute);
    if (open !== undefined) return open;
    try {
      const { mtimeMs, isFile } = (() => {
        const stat = statSync(absolute);
        return { mtimeMs: stat.mtimeMs, isFile: stat.isFile() };
      })();
      if (!isFile) return undefined;
      const cached = this.cache.get(absolute);
      if (cached && cached.mtimeMs === mtimeMs) return cached.text;
      const text = readFileSync(absolute, 'utf8');
      this.cache.set(absolute, { mtimeMs, text });
      return text;
    } catch {
      return undefined;
    }
  }
}
