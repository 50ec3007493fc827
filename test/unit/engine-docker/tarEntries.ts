/** Reads a tar stream into a list of entries (tests only). */
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';

export interface TarEntry {
  name: string;
  type: string;
  mode: number;
  mtimeSeconds: number;
  linkname?: string;
  content?: string;
}

export async function readTarEntries(stream: Readable): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (chunk) => chunks.push(chunk as Buffer));
      body.on('end', () => {
        const entry: TarEntry = {
          name: header.name,
          type: header.type,
          mode: header.mode,
          mtimeSeconds: Math.floor(header.mtime.getTime() / 1000),
        };
        if (header.linkname) entry.linkname = header.linkname;
        if (header.type === 'file') entry.content = Buffer.concat(chunks).toString('utf8');
        entries.push(entry);
        next();
      });
    });
    extract.on('finish', () => resolve());
    extract.on('error', reject);
    stream.on('error', reject);
  });
  stream.pipe(extract);
  await done;
  return entries;
}

/** `type name` lines (`d src`, `f src/a.go`, `l link -> target`), in tar order. */
export function describeEntries(entries: readonly TarEntry[]): string[] {
  return entries.map((e) => `${e.type[0]} ${e.name}${e.linkname ? ` -> ${e.linkname}` : ''}`);
}
