/**
 * Image transfer streams (pull, push, import) and the build request's query: progress lines for the
 * user, the pushed digest, and registry failures as {@link RegistryError}s with a status.
 */
import { RegistryError, type BuildImageOptions, type PushResult } from '../ContainerRuntime';
import { messageError, progressLine, readJsonMessages, registryFailureStatus } from './dockerStreams';

const DIGEST_IN_STATUS = /digest: (sha256:[0-9a-f]{64})/;

/**
 * Reads a pull/push/import progress stream to its end, forwarding progress lines. Resolves with the
 * digest a push reports; rejects with a RegistryError when the engine reports a failure in the stream,
 * or with the caller's abort reason.
 */
export async function consumeImageProgress(
  stream: NodeJS.ReadableStream,
  reference: string,
  signal: AbortSignal,
  onOutput: (text: string) => void,
): Promise<PushResult> {
  let digest: string | undefined;
  let failure: string | undefined;
  await readJsonMessages(stream, (message) => {
    const error = messageError(message);
    if (error !== undefined) {
      failure = error;
      return;
    }
    const line = progressLine(message);
    if (line !== undefined) onOutput(line);
    const auxDigest = message.aux?.['Digest'];
    if (typeof auxDigest === 'string') digest = auxDigest;
    digest ??= DIGEST_IN_STATUS.exec(message.status ?? '')?.[1];
  });
  signal.throwIfAborted();
  if (failure !== undefined) throw registryError(failure, reference);
  return digest === undefined ? {} : { digest };
}

/** A RegistryError whose status comes from the message, else from the engine's HTTP status. */
export function registryError(message: string, reference: string, engineStatus?: number): RegistryError {
  const fromEngine = engineStatus === 401 || engineStatus === 403 || engineStatus === 404 ? engineStatus : undefined;
  return new RegistryError(message, reference, registryFailureStatus(message) ?? fromEngine);
}

/** Query of `POST /build` for the classic builder (`version=1`), which ACR build steps use by default. */
export function buildQuery(options: BuildImageOptions): Record<string, unknown> {
  return {
    version: '1',
    dockerfile: options.dockerfile,
    t: options.tags,
    buildargs: JSON.stringify(options.buildArgs),
    labels: JSON.stringify(options.labels),
    nocache: options.noCache,
    pull: options.pull,
    rm: true,
    // Remove intermediate containers of failed steps too: a failed build leaves nothing behind.
    forcerm: true,
    ...(options.target !== undefined ? { target: options.target } : {}),
    ...(options.platform !== undefined ? { platform: options.platform } : {}),
  };
}
