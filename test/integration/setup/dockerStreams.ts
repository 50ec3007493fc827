import { PassThrough, Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';

/** One line of a Docker progress stream (build, push, pull, import). */
export interface ProgressEvent {
  readonly stream?: string;
  readonly status?: string;
  readonly id?: string;
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string; readonly code?: number };
  readonly aux?: Readonly<Record<string, unknown>>;
}

/** A failure the engine reported inside a progress stream (the HTTP status was 200). */
export class DockerProgressError extends Error {
  constructor(
    message: string,
    readonly events: readonly ProgressEvent[],
  ) {
    super(message);
    this.name = 'DockerProgressError';
  }
}

/**
 * Reads a progress stream to its end. The engine reports build and push failures as an `error` line
 * in a 200 response, which dockerode's `followProgress` passes on as data; this turns them into a rejection.
 */
export async function collectProgress(docker: Dockerode, stream: NodeJS.ReadableStream): Promise<ProgressEvent[]> {
  const events = await new Promise<ProgressEvent[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: ProgressEvent[]) =>
      error ? reject(error) : resolve(output),
    );
  });
  const failure = events.find((event) => event.error !== undefined || event.errorDetail !== undefined);
  if (failure) {
    throw new DockerProgressError(failure.errorDetail?.message ?? failure.error ?? 'unknown error', events);
  }
  return events;
}

export interface ContainerResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a container to completion and returns its exit code and separated output, then removes it.
 * Waits for both the exit and the end of the attached output, so no trailing output is lost.
 */
export async function runContainer(
  docker: Dockerode,
  image: string,
  cmd: readonly string[],
  options: Omit<Dockerode.ContainerCreateOptions, 'Image' | 'Cmd'> = {},
): Promise<ContainerResult> {
  const container = await docker.createContainer({ ...options, Image: image, Cmd: [...cmd], Tty: false });
  try {
    const attached = await container.attach({ stream: true, stdout: true, stderr: true });
    const stdout = collectText();
    const stderr = collectText();
    docker.modem.demuxStream(attached, stdout.sink, stderr.sink);
    const ended = new Promise<void>((resolve, reject) => {
      attached.once('end', resolve);
      attached.once('close', resolve);
      attached.once('error', reject);
    });
    await container.start();
    const [exit] = await Promise.all([container.wait() as Promise<{ StatusCode: number }>, ended]);
    return { exitCode: exit.StatusCode, stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    await container.remove({ force: true });
  }
}

function collectText(): { sink: PassThrough; text: () => string } {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { sink, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Packs in-memory files (relative path → content) into a build-context tar stream. */
export function packContext(files: Readonly<Record<string, string>>): tar.Pack {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) {
    pack.entry({ name, mode: 0o644 }, content);
  }
  pack.finalize();
  return pack;
}

/**
 * Builds an image from in-memory files with the classic builder (API `version=1`, what Docker 20.10 and
 * ACR's `build` step use by default) and resolves to the progress events.
 */
export async function buildImage(
  docker: Dockerode,
  files: Readonly<Record<string, string>>,
  tag: string,
  options: Omit<Dockerode.ImageBuildOptions, 't'> = {},
): Promise<ProgressEvent[]> {
  const stream = await docker.buildImage(Readable.from(packContext(files)), { ...options, t: tag, version: '1' });
  return collectProgress(docker, stream);
}

/** Credentials in the shape of the engine's `X-Registry-Auth` header (dockerode `authconfig`). */
export interface RegistryAuth {
  readonly username: string;
  readonly password: string;
  readonly serveraddress: string;
}

/**
 * Pushes `reference` (`host:port/repo:tag`) with optional credentials and resolves to the pushed manifest
 * digest; a refused push rejects with a {@link DockerProgressError}.
 */
export async function pushImage(docker: Dockerode, reference: string, auth?: RegistryAuth): Promise<string> {
  const colon = reference.lastIndexOf(':');
  const tag = colon > reference.lastIndexOf('/') ? reference.slice(colon + 1) : 'latest';
  const stream = await docker.getImage(reference).push({ tag, ...(auth ? { authconfig: auth } : {}) });
  const events = await collectProgress(docker, stream);
  const digest = events.map((event) => event.aux?.Digest).find((value) => typeof value === 'string');
  if (typeof digest !== 'string') {
    throw new DockerProgressError(`push of ${reference} reported no digest`, events);
  }
  return digest;
}

/** Pulls `reference` with optional credentials; a refused pull rejects with a {@link DockerProgressError}. */
export async function pullImage(docker: Dockerode, reference: string, auth?: RegistryAuth): Promise<void> {
  const stream = await docker.pull(reference, auth ? { authconfig: auth } : {});
  await collectProgress(docker, stream);
}
