/**
 * Joins the many small pieces a tar stream is made of (a 512-byte header, the data, the padding, for
 * every file) into chunks of at least {@link COALESCED_CHUNK_BYTES} before they reach a socket: each
 * piece would otherwise be its own write and its own HTTP chunk, which costs the engine as much as us.
 */
import { Transform, type TransformCallback } from 'node:stream';

export const COALESCED_CHUNK_BYTES = 64 * 1024;

export class ChunkCoalescer extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly chunkBytes = COALESCED_CHUNK_BYTES) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.pendingBytes === 0 && chunk.length >= this.chunkBytes) {
      done(null, chunk);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.chunkBytes) this.release();
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.pendingBytes > 0) this.release();
    done();
  }

  private release(): void {
    this.push(this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
}
