/**
 * A deterministic build context shaped like a real repository: many small source files in nested
 * folders, a few large assets, a `node_modules` and `dist` that the `.dockerignore` excludes, and log
 * files excluded by a `**` rule. Contents are pseudo-random (incompressible), from a fixed seed.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface ContextShape {
  /** Total number of files (excluded ones included). */
  files: number;
  /** Total bytes of file data (excluded ones included), approximately. */
  bytes: number;
}

export interface GeneratedContext {
  dir: string;
  files: number;
  bytes: number;
  /** What the `.dockerignore` leaves to send (files, bytes). */
  sentFiles: number;
  sentBytes: number;
}

export const DOCKERIGNORE = 'node_modules\ndist\n**/*.log\n';

/** xorshift32: the same bytes on every machine. */
class Random {
  constructor(private state: number) {}
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  fill(buffer: Buffer): Buffer {
    for (let offset = 0; offset + 4 <= buffer.length; offset += 4) buffer.writeUInt32LE(this.next(), offset);
    return buffer;
  }
}

/**
 * Writes the context into `dir` (replacing it). Of the files, 15 % go to `node_modules`, 5 % are `.log`,
 * 0.5 % are large assets (half of them in `dist`), the rest source files; the large assets carry half of
 * the bytes.
 */
export function generateContext(dir: string, shape: ContextShape, dockerfile: string): GeneratedContext {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const random = new Random(0x5eed);
  const large = Math.max(2, Math.round(shape.files * 0.005));
  const largeSize = Math.round(shape.bytes / 2 / large);
  const smallSize = Math.round(shape.bytes / 2 / (shape.files - large));
  let files = 0;
  let bytes = 0;
  let sentFiles = 0;
  let sentBytes = 0;
  const write = (relative: string, size: number, sent: boolean) => {
    const full = path.join(dir, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, random.fill(Buffer.allocUnsafe(size)));
    files++;
    bytes += size;
    if (sent) {
      sentFiles++;
      sentBytes += size;
    }
  };
  for (let index = 0; index < shape.files - large; index++) {
    // Sizes vary from a few bytes to twice the average.
    const size = 4 * Math.floor((random.next() % (2 * smallSize)) / 4);
    if (index % 20 === 7) write(`src/pkg${index % 37}/logs/run-${index}.log`, size, false);
    else if (index % 20 < 3) write(`node_modules/dep${index % 113}/lib/part${index % 9}/file-${index}.js`, size, false);
    else write(`src/pkg${index % 37}/mod${index % 11}/sub${index % 5}/file-${index}.ts`, size, true);
  }
  for (let index = 0; index < large; index++) {
    if (index % 2 === 0) write(`dist/bundle-${index}.bin`, largeSize, false);
    else write(`assets/media-${index}.bin`, largeSize, true);
  }
  writeFileSync(path.join(dir, '.dockerignore'), DOCKERIGNORE);
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  return { dir, files, bytes, sentFiles, sentBytes };
}
