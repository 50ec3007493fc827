/**
 * A context from an http(s) URL, as acb's scanner gets it (`scan/context.go` `getContextFromURL`): up to
 * 3 attempts with exponential back-off — a connection error or a 5xx is retried, a 4xx fails at once with
 * the server's answer — and the body unpacked while it downloads (never held in memory). Archives may be
 * plain tar or gzip, bzip2, xz or zstd compressed (gzip in-process; the others through the `bzip2`, `xz`,
 * `zstd` programs when installed). Anything that is not an archive yields an empty context, as in ACR —
 * which we say.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

import type { ContextSource } from './contextSource';
import { extractTar, TarExtractError } from './safeExtract';

export type TarballSource = Extract<ContextSource, { kind: 'tarball' }>;

export class TarballFetchError extends Error {
  override name = 'TarballFetchError';
}

export interface TarballFetchOptions {
  signal: AbortSignal;
  output: (text: string) => void;
  /** Back-off before attempt 2 and 3 (acb: exponential); tests make it short. Default 1 s, doubling. */
  backoffMs?: number;
  /** How long the server may take to start answering. Default 60 s. */
  responseTimeoutMs?: number;
}

const ATTEMPTS = 3;
/** The first bytes identify a compressed stream. */
const COMPRESSIONS: { name: string; magic: Buffer; program?: string }[] = [
  { name: 'gzip', magic: Buffer.from([0x1f, 0x8b]) },
  { name: 'bzip2', magic: Buffer.from('BZh'), program: 'bzip2' },
  { name: 'xz', magic: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), program: 'xz' },
  { name: 'zstd', magic: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), program: 'zstd' },
];

/** A failure another attempt cannot fix (a 4xx answer, data that is not an archive, an unsafe entry). */
class PermanentError extends Error {}

function get(
  url: string,
  options: TarballFetchOptions,
  authorization: string | undefined,
  redirects = 0,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const timeout = options.responseTimeoutMs ?? 60_000;
    const headers = authorization ? { authorization } : {};
    const request = client.get(url, { signal: options.signal, timeout, headers }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location && redirects < 10) {
        response.resume();
        const next = new URL(location, url);
        // Credentials go only to the host they were given for.
        const keep = next.origin === new URL(url).origin ? authorization : undefined;
        resolve(get(next.toString(), options, keep, redirects + 1));
        return;
      }
      resolve(response);
    });
    request.once('timeout', () => request.destroy(new Error(`no answer within ${timeout} ms`)));
    request.once('error', reject);
  });
}

async function bodyText(response: Readable): Promise<string> {
  let text = '';
  for await (const chunk of response) {
    if (text.length < 2048) text += (chunk as Buffer).toString('utf8');
  }
  return text.trim().slice(0, 2048);
}

/** The first `count` bytes (fewer when the stream is shorter), with a stream that still starts with them. */
async function peek(stream: Readable, count: number): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = stream.readableEnded;
  while (length < count && !ended) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) {
      chunks.push(chunk);
      length += chunk.length;
      continue;
    }
    ended = await new Promise<boolean>((resolve, reject) => {
      const settle = (result: boolean | Error) => {
        stream.off('readable', onReadable);
        stream.off('end', onEnd);
        stream.off('error', onError);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const onReadable = () => settle(false);
      const onEnd = () => settle(true);
      const onError = (error: Error) => settle(error);
      stream.on('readable', onReadable);
      stream.on('end', onEnd);
      stream.on('error', onError);
    });
  }
  const head = Buffer.concat(chunks);
  if (ended) return { head, stream: Readable.from(head.length > 0 ? [head] : []) };
  stream.unshift(head);
  return { head, stream };
}

function decompressWith(program: string, input: Readable, signal: AbortSignal): Readable {
  const child = spawn(program, ['-dc'], { signal, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  const output = new PassThrough();
  child.once('error', (error: NodeJS.ErrnoException) =>
    output.destroy(
      error.code === 'ENOENT'
        ? new PermanentError(`the archive is ${program}-compressed and the ${program} program is not installed`)
        : error,
    ),
  );
  child.once('close', (code) => {
    if (code !== 0 && code !== null) output.destroy(new Error(`bad archive: ${program}: ${errors.trim()}`));
  });
  input.pipe(child.stdin).on('error', () => undefined);
  child.stdout.pipe(output);
  return output;
}

/** True for a POSIX/GNU tar header block (`ustar` magic, or an old-style header with a valid checksum). */
export function looksLikeTar(block: Buffer): boolean {
  if (block.length < 512) return false;
  if (block.subarray(257, 262).toString('latin1') === 'ustar') return true;
  const recorded = parseInt(block.subarray(148, 156).toString('latin1').replace(/\0.*$/s, '').trim(), 8);
  if (Number.isNaN(recorded)) return false;
  let sum = 0;
  for (let index = 0; index < 512; index++) sum += index >= 148 && index < 156 ? 0x20 : (block[index] ?? 0);
  return sum === recorded;
}

/** Unpacks one response body into `destination`; resolves with what it was. */
async function unpack(body: Readable, destination: string, options: TarballFetchOptions): Promise<string> {
  const first = await peek(body, 6);
  const compression = COMPRESSIONS.find(({ magic }) => first.head.subarray(0, magic.length).equals(magic));
  let tarStream = first.stream;
  if (compression) {
    if (compression.program === undefined) {
      const gunzip = createGunzip();
      tarStream = first.stream.pipe(gunzip);
      // zlib's own wording ("incorrect header check") does not say what was wrong.
      gunzip.on('error', (error) => (error.message = `bad archive: gzip: ${error.message}`));
    } else {
      tarStream = decompressWith(compression.program, first.stream, options.signal);
    }
    first.stream.on('error', (error) => tarStream.destroy(error));
  }
  const block = await peek(tarStream, 512);
  if (!looksLikeTar(block.head)) {
    block.stream.resume();
    await new Promise<void>((resolve, reject) => {
      block.stream.once('end', resolve);
      block.stream.once('error', reject);
    });
    if (compression) throw new PermanentError(`bad archive: the ${compression.name} data is not a tar archive`);
    return 'not an archive';
  }
  await extractTar(block.stream, destination, options.signal);
  return compression ? `a ${compression.name}-compressed tar archive` : 'a tar archive';
}

/** Downloads and unpacks the tarball into the folder `destination` (made, or emptied, first). */
export async function fetchTarballContext(
  source: TarballSource,
  destination: string,
  options: TarballFetchOptions,
): Promise<{ empty: boolean }> {
  options.output(`Getting context from URL ${source.display}\n`);
  const authorization = source.credentials
    ? `Basic ${Buffer.from(`${source.credentials.username}:${source.credentials.password}`).toString('base64')}`
    : undefined;
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    options.signal.throwIfAborted();
    try {
      // Each attempt unpacks into an empty folder: nothing half-written from the one before.
      await rm(destination, { recursive: true, force: true });
      await mkdir(destination, { recursive: true });
      const response = await get(source.url, options, authorization);
      const status = response.statusCode ?? 0;
      if (status >= 400) {
        const text = await bodyText(response);
        const message = `failed to GET ${source.display} with status ${status} ${response.statusMessage ?? ''}`.trim();
        const failure = `${message}${text ? `: ${text}` : ''}`;
        // A 4xx is final; a 5xx may pass (acb retries it and reports the body of the last one).
        throw status < 500 ? new PermanentError(failure) : new Error(failure);
      }
      const length = response.headers['content-length'];
      options.output(`Read context with status code ${status}${length ? ` (${length} bytes)` : ''}\n`);
      const kind = await unpack(response, destination, options);
      if (kind === 'not an archive') {
        options.output(
          'WARNING: the URL is not an archive (tar, gzip, bzip2, xz or zstd): like ACR, the build gets an empty context\n',
        );
        return { empty: true };
      }
      options.output(`Unpacked ${kind}\n`);
      return { empty: false };
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      lastError = error instanceof Error ? error : new Error(String(error));
      if (error instanceof PermanentError || error instanceof TarExtractError) break;
      // A dropped connection or a truncated download can pass on the next attempt (acb retries all).
      if (attempt < ATTEMPTS) {
        options.output(`Attempt ${attempt} failed: ${lastError.message}; retrying\n`);
        await pause((options.backoffMs ?? 1000) * 2 ** (attempt - 1), options.signal);
      }
    }
  }
  throw new TarballFetchError(
    `unable to download remote context from ${source.display}: ${lastError?.message ?? 'failed'}`,
  );
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
      },
      { once: true },
    );
  });
}
