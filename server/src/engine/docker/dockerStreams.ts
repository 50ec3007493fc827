/**
 * Decoders for the Engine API's two streaming formats: the multiplexed stdout/stderr stream of an
 * attached non-TTY container, and the newline-delimited JSON messages of build/pull/push/import.
 * Plain Node streams in, our own types out.
 */
import type { OutputStream } from '../ContainerRuntime';

/**
 * Splits Docker's multiplexed attach stream: frames of an 8-byte header (stream type, 3 zero bytes,
 * big-endian length) followed by the payload. Frames may arrive split across chunks or several per chunk.
 */
export class StreamDemultiplexer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onOutput: (stream: OutputStream, chunk: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const type = this.pending[0];
      const length = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + length) return;
      const payload = this.pending.subarray(8, 8 + length);
      this.pending = this.pending.subarray(8 + length);
      // Type 0 (stdin echo) never occurs without a TTY; anything that is not stderr counts as stdout.
      if (payload.length > 0) this.onOutput(type === 2 ? 'stderr' : 'stdout', Buffer.from(payload));
    }
  }

  /** Bytes of an incomplete frame left when the stream ended (0 for a well-formed stream). */
  get leftover(): number {
    return this.pending.length;
  }
}

/** One message of the Engine's JSON progress stream (build, pull, push, import). */
export interface JsonMessage {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: Record<string, unknown>;
}

/**
 * Reads newline-delimited JSON messages until the stream ends. A line that is not JSON is passed on as a
 * `stream` message rather than dropped, so nothing the engine says is lost.
 */
export async function readJsonMessages(
  stream: NodeJS.ReadableStream,
  onMessage: (message: JsonMessage) => void,
): Promise<void> {
  let buffered = '';
  const emit = (line: string): void => {
    const trimmed = line.replace(/\r$/, '');
    if (trimmed.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      onMessage({ stream: `${trimmed}\n` });
      return;
    }
    const isObject = typeof parsed === 'object' && parsed !== null;
    onMessage(isObject ? (parsed as JsonMessage) : { stream: `${trimmed}\n` });
  };
  for await (const chunk of stream) {
    buffered += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      emit(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
  emit(buffered);
}

/** The error a message carries, if any. */
export function messageError(message: JsonMessage): string | undefined {
  return message.errorDetail?.message ?? message.error;
}

/** A human line for a pull/push/import progress message (`<id>: <status> <progress>`), or undefined. */
export function progressLine(message: JsonMessage): string | undefined {
  if (message.stream !== undefined) return message.stream;
  if (message.status === undefined) return undefined;
  const prefix = message.id ? `${message.id}: ` : '';
  const progress = message.progress ? ` ${message.progress}` : '';
  return `${prefix}${message.status}${progress}\n`;
}

/**
 * HTTP-like status for a registry failure reported as text by the engine (it does not pass the
 * registry's status code through), or undefined when the text does not say.
 */
export function registryFailureStatus(text: string): number | undefined {
  if (
    /unauthorized|authentication required|no basic auth credentials|incorrect username or password|pull access denied/i.test(
      text,
    )
  ) {
    return 401;
  }
  if (/denied|forbidden/i.test(text)) return 403;
  if (
    /manifest unknown|name unknown|not found|repository does not exist|no such image|manifest for .* not found/i.test(
      text,
    )
  ) {
    return 404;
  }
  if (/toomanyrequests|too many requests/i.test(text)) return 429;
  return undefined;
}

/** Split `repo[:tag]` / `repo@digest` (the registry host may carry a `:port`). */
export function splitImageReference(reference: string): { repository: string; tag?: string; digest?: string } {
  const at = reference.indexOf('@');
  if (at >= 0) return { repository: reference.slice(0, at), digest: reference.slice(at + 1) };
  const lastSlash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  if (colon > lastSlash) return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { repository: reference };
}
