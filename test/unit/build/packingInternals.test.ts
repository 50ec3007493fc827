/**
 * Properties of the context packer that the build depends on beyond which files are sent: pieces reach
 * the socket in large chunks, the event loop keeps turning while a big context is packed (the language
 * server stays responsive), and the bytes are exactly those of the files.
 */
import { deepStrictEqual, ok } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';

import { ChunkCoalescer } from '../../../server/src/engine/context/chunkCoalescer';
import { packContext } from '../../../server/src/engine/context/contextPacking';
import { readTarEntries } from '../engine-docker/tarEntries';

async function collect(stream: Readable): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks;
}

describe('context packing internals', () => {
  it('coalesces small pieces into chunks of at least 64 KiB, a big piece alone passes as it is, the rest is flushed', async () => {
    const pieces = [
      ...Array.from({ length: 300 }, (_, index) => Buffer.alloc(512, index % 256)),
      Buffer.alloc(200_000, 1),
      Buffer.alloc(10, 2),
    ];
    const alone = await collect(Readable.from([Buffer.alloc(70_000, 3)]).pipe(new ChunkCoalescer()));
    deepStrictEqual(
      alone.map((chunk) => chunk.length),
      [70_000],
    );
    const chunks = await collect(Readable.from(pieces).pipe(new ChunkCoalescer()));
    deepStrictEqual(
      {
        sizes: chunks.map((chunk) => chunk.length),
        same: Buffer.concat(chunks).equals(Buffer.concat(pieces)),
      },
      // 128 headers make 64 KiB; the last 44 travel with the big piece; the tail is flushed at the end.
      { sizes: [65536, 65536, 44 * 512 + 200_000, 10], same: true },
    );
  });

  it('keeps the event loop turning while packing many files, and sends their exact bytes', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'pack-loop-'));
    try {
      for (let index = 0; index < 3000; index++) {
        const dir = path.join(root, `d${index % 30}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, `f${index}`), `content ${index}\n`.repeat(index % 50));
      }
      let turns = 0;
      const timer = setInterval(() => turns++, 1);
      const packed = await packContext({ contextDir: root, mode: 'docker-classic' });
      const entries = await readTarEntries(packed.stream);
      clearInterval(timer);
      const files = entries.filter((entry) => entry.type === 'file');
      ok(turns > 0, 'the event loop never turned while packing');
      deepStrictEqual(
        { files: files.length, sample: files.find((entry) => entry.name === 'd7/f37')?.content },
        { files: 3000, sample: 'content 37\n'.repeat(37) },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
