/**
 * The seam between the one file that talks to dockerode (DockerodeRuntime.ts) and the operations built
 * on top of it: a request either resolves with the engine's JSON answer (or a response stream) or
 * rejects with our typed errors / the caller's abort reason — never with a dockerode object.
 */
import { RuntimeError, type ImageInfo } from '../ContainerRuntime';
import type { ResolvedEndpoint } from '../dockerEndpoint';

export interface EngineRequestOptions {
  path: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  query?: Record<string, unknown>;
  /** JSON body; never copied into the query string. */
  body?: unknown;
  /** A request body stream (tar). */
  file?: NodeJS.ReadableStream;
  /** X-Registry-Auth. */
  authconfig?: object;
  /** X-Registry-Config. */
  registryconfig?: object;
  /** Overrides the default request timeout; `undefined` given explicitly means none (the caller's signal bounds it). */
  timeoutMs?: number;
  /** A timeout means the engine is unreachable (the `info` probe). */
  unreachableOnTimeout?: boolean;
}

export interface EngineRequests {
  readonly endpoint: ResolvedEndpoint;
  readonly requestTimeoutMs: number;
  request<T = unknown>(operation: string, signal: AbortSignal, options: EngineRequestOptions): Promise<T>;
  /** Resolves with the response stream once the engine starts answering; its timeout stops there. */
  openStream(operation: string, signal: AbortSignal, options: EngineRequestOptions): Promise<NodeJS.ReadableStream>;
}

/** A request whose 404 means "absent" (resolves undefined). */
export async function requestOptional<T>(
  engine: EngineRequests,
  operation: string,
  signal: AbortSignal,
  options: EngineRequestOptions,
): Promise<T | undefined> {
  try {
    return await engine.request<T>(operation, signal, options);
  } catch (error) {
    if (error instanceof RuntimeError && error.statusCode === 404) return undefined;
    throw error;
  }
}

/** Force-remove (killing it if running, with its anonymous volumes); absent is fine. */
export async function removeContainer(engine: EngineRequests, nameOrId: string, signal: AbortSignal): Promise<void> {
  try {
    await requestOptional(engine, 'remove container', signal, {
      path: `/containers/${nameOrId}`,
      method: 'DELETE',
      query: { force: true, v: true },
    });
  } catch (error) {
    // AutoRemove (or another cleanup) got there first: wait until it is really gone.
    const inProgress = error instanceof RuntimeError && error.statusCode === 409 && /in progress/i.test(error.message);
    if (!inProgress) throw error;
    await requestOptional(engine, 'wait for container removal', signal, {
      path: `/containers/${nameOrId}/wait`,
      method: 'POST',
      query: { condition: 'removed' },
    });
  }
}

/** Cleanup that must happen even when the caller's signal is already aborted; failures are ignored. */
export function removeContainerQuietly(engine: EngineRequests, nameOrId: string): Promise<void> {
  return removeContainer(engine, nameOrId, AbortSignal.timeout(engine.requestTimeoutMs)).catch(() => undefined);
}

export async function inspectImage(
  engine: EngineRequests,
  reference: string,
  signal: AbortSignal,
): Promise<ImageInfo | undefined> {
  const image = await requestOptional<{
    Id?: string;
    RepoDigests?: string[] | null;
    Os?: string;
    Architecture?: string;
    Variant?: string;
  }>(engine, 'inspect image', signal, { path: `/images/${reference}/json`, method: 'GET' });
  if (!image) return undefined;
  return {
    id: image.Id ?? '',
    repoDigests: image.RepoDigests ?? [],
    os: image.Os ?? '',
    architecture: image.Architecture ?? '',
    ...(image.Variant ? { variant: image.Variant } : {}),
  };
}

/** Reads a whole (small) response stream as text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
