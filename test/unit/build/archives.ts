/** Test archives built in memory, a loopback HTTP server that serves them, and folder listings. */
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as tar from 'tar-stream';
import { gzipSync } from 'node:zlib';

export type ArchiveEntry =
  | { name: string; content: string; mode?: number }
  | { name: string; type: 'directory' }
  | { name: string; type: 'symlink' | 'link'; linkname: string };

export async function tarOf(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const ended = new Promise<void>((resolve) => pack.on('end', resolve));
  for (const entry of entries) {
    if ('content' in entry) pack.entry({ name: entry.name, mode: entry.mode ?? 0o644 }, entry.content);
    else if (entry.type === 'directory') pack.entry({ name: entry.name, type: 'directory', mode: 0o755 });
    else pack.entry({ name: entry.name, type: entry.type, linkname: entry.linkname });
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

export function gzip(data: Buffer): Buffer {
  return gzipSync(data);
}

/** Compresses with a system program (`bzip2`, `xz`, `zstd`). */
export function compressWith(program: string, data: Buffer): Buffer {
  return execFileSync(program, ['-c'], { input: data });
}

/** `name` for files (with content), `name/` for directories, `name -> target` for links. */
export function listFolder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = path.join(dir, name);
      const relative = rel === '' ? name : `${rel}/${name}`;
      const stats = lstatSync(abs);
      if (stats.isSymbolicLink()) out.push(`${relative} -> ${readlinkSync(abs)}`);
      else if (stats.isDirectory()) {
        out.push(`${relative}/`);
        walk(abs, relative);
      } else out.push(`${relative}: ${readFileSync(abs, 'utf8')}`);
    }
  };
  walk(root, '');
  return out;
}

export interface Route {
  status?: number;
  body?: Buffer | string;
  /** Sends only this many bytes of the body, then drops the connection. */
  truncateAt?: number;
}

/** A loopback HTTP server answering each path with a list of routes, one per request (the last repeats). */
export class ArchiveServer {
  readonly requests: { path: string; authorization?: string }[] = [];
  private readonly server: http.Server;
  private routes = new Map<string, Route[]>();

  constructor() {
    this.server = http.createServer((request, response) => {
      const url = request.url ?? '/';
      this.requests.push({
        path: url,
        ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      });
      const list = this.routes.get(url) ?? [{ status: 404, body: 'no such file' }];
      const route = list.length > 1 ? list.shift()! : list[0];
      const body = typeof route.body === 'string' ? Buffer.from(route.body) : (route.body ?? Buffer.alloc(0));
      response.writeHead(route.status ?? 200, { 'content-length': body.length });
      if (route.truncateAt !== undefined) {
        response.write(body.subarray(0, route.truncateAt));
        response.socket?.destroy();
        return;
      }
      response.end(body);
    });
  }

  serve(pathName: string, ...routes: Route[]): string {
    this.routes.set(pathName, routes);
    return `${this.url}${pathName}`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  count(pathName: string): number {
    return this.requests.filter((request) => request.path === pathName).length;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
