/**
 * Image operations over {@link EngineRequests}: pull, push (X-Registry-Auth, digest from the stream),
 * classic-builder builds (X-Registry-Config for private base images) and image import.
 */
import type { Readable } from 'node:stream';

import {
  RegistryError,
  RuntimeError,
  type BuildImageOptions,
  type PushResult,
  type RegistryAuth,
} from '../ContainerRuntime';
import { readJsonMessages, splitImageReference } from './dockerStreams';
import { translateEngineError } from './engineErrors';
import type { EngineRequestOptions, EngineRequests } from './engineRequests';
import { buildQuery, consumeImageProgress, registryError } from './imageProgress';

export async function pullImage(
  engine: EngineRequests,
  reference: string,
  auth: RegistryAuth | undefined,
  signal: AbortSignal,
  onOutput: (text: string) => void,
): Promise<void> {
  const { repository, tag, digest } = splitImageReference(reference);
  // Without a tag the engine would pull every tag of the repository; the docker CLI means `latest`.
  const stream = await openRegistryStream(engine, 'pull image', reference, signal, {
    path: '/images/create',
    method: 'POST',
    query: { fromImage: repository, tag: digest ?? tag ?? 'latest' },
    authconfig: auth ?? {},
  });
  await consumeProgress(engine, 'pull image', stream, reference, signal, onOutput);
}

export async function pushImage(
  engine: EngineRequests,
  reference: string,
  auth: RegistryAuth | undefined,
  signal: AbortSignal,
  onOutput: (text: string) => void,
): Promise<PushResult> {
  const { repository, tag, digest } = splitImageReference(reference);
  if (digest !== undefined) throw new RegistryError(`cannot push a digest reference: ${reference}`, reference);
  const stream = await openRegistryStream(engine, 'push image', reference, signal, {
    path: `/images/${repository}/push`,
    method: 'POST',
    query: { tag: tag ?? 'latest' },
    // The engine requires the header even for anonymous pushes; `{}` is what the docker CLI sends.
    authconfig: auth ?? {},
  });
  return consumeProgress(engine, 'push image', stream, reference, signal, onOutput);
}

/** `POST /build` with the classic builder; the engine's build error becomes a RuntimeError with its message. */
export async function buildImage(
  engine: EngineRequests,
  context: Readable,
  options: BuildImageOptions,
): Promise<{ imageId: string }> {
  // A packing failure destroys the context stream; that error, not the broken request, is the cause.
  let contextError: Error | undefined;
  context.once('error', (error: Error) => (contextError = error));
  const registryconfig = Object.fromEntries(options.registryAuths.map((auth) => [auth.serveraddress, auth]));
  let stream: NodeJS.ReadableStream;
  try {
    stream = await engine.openStream('build image', options.signal, {
      path: '/build',
      method: 'POST',
      query: buildQuery(options),
      file: context,
      ...(options.registryAuths.length > 0 ? { registryconfig } : {}),
    });
  } catch (error) {
    throw contextError ?? error;
  }
  let imageId: string | undefined;
  let failure: string | undefined;
  await readJsonMessages(stream, (message) => {
    if (message.stream !== undefined) options.onOutput(message.stream);
    else if (message.status !== undefined)
      options.onOutput(`${message.id ? `${message.id}: ` : ''}${message.status}\n`);
    const id = message.aux?.['ID'];
    if (typeof id === 'string') imageId = id;
    const error = message.errorDetail?.message ?? message.error;
    if (error !== undefined) failure = error;
  }).catch((error: unknown) => {
    throw translateEngineError(contextError ?? error, {
      operation: 'build image',
      caller: options.signal,
      endpoint: engine.endpoint,
    });
  });
  options.signal.throwIfAborted();
  if (contextError) throw contextError;
  if (failure !== undefined) throw new RuntimeError(failure, 'build image');
  if (imageId === undefined) throw new RuntimeError('the engine finished the build without an image id', 'build image');
  return { imageId };
}

/** `POST /images/create?fromSrc=-`: an image from a root-filesystem tar, nothing pulled. */
export async function importImage(
  engine: EngineRequests,
  reference: string,
  rootfs: Readable,
  changes: string[],
  signal: AbortSignal,
): Promise<void> {
  const { repository, tag } = splitImageReference(reference);
  const stream = await engine.openStream('import image', signal, {
    path: '/images/create',
    method: 'POST',
    query: { fromSrc: '-', repo: repository, tag: tag ?? 'latest', changes },
    file: rootfs,
  });
  await consumeProgress(engine, 'import image', stream, reference, signal, () => undefined);
}

async function consumeProgress(
  engine: EngineRequests,
  operation: string,
  stream: NodeJS.ReadableStream,
  reference: string,
  signal: AbortSignal,
  onOutput: (text: string) => void,
): Promise<PushResult> {
  try {
    return await consumeImageProgress(stream, reference, signal, onOutput);
  } catch (error) {
    throw translateEngineError(error, { operation, caller: signal, endpoint: engine.endpoint });
  }
}

/** Opens a pull/push stream; failures before streaming (HTTP errors) become RegistryErrors. */
async function openRegistryStream(
  engine: EngineRequests,
  operation: string,
  reference: string,
  signal: AbortSignal,
  options: EngineRequestOptions,
): Promise<NodeJS.ReadableStream> {
  try {
    return await engine.openStream(operation, signal, options);
  } catch (error) {
    if (error instanceof RuntimeError) throw registryError(error.message, reference, error.statusCode);
    throw error;
  }
}
