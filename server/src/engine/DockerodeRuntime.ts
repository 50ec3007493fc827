/**
 * The ContainerRuntime on a real Docker engine, through dockerode's modem (the only file importing
 * dockerode). Every request goes through {@link DockerodeRuntime.request}: one place that applies the
 * caller's AbortSignal and a timeout and turns every failure into our typed errors, so no dockerode type
 * or error object leaves this file.
 */
import * as https from 'node:https';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Docker from 'dockerode';

import {
  RUN_ID_LABEL,
  RegistryError,
  RuntimeError,
  type BuildImageOptions,
  type ContainerResult,
  type ContainerRuntime,
  type ContainerSpec,
  type EngineInfo,
  type ImageInfo,
  type PushResult,
  type RegistryAuth,
  type RunContainerOptions,
  type RunResources,
} from './ContainerRuntime';
import {
  nodeEndpointEnvironment,
  resolveDockerEndpoint,
  type EndpointEnvironment,
  type EndpointSetting,
  type ResolvedEndpoint,
} from './dockerEndpoint';
import { containerCreateBody } from './docker/containerConfig';
import { StreamDemultiplexer, readJsonMessages, splitImageReference } from './docker/dockerStreams';
import { Deadline, translateEngineError } from './docker/engineErrors';
import { buildQuery, consumeImageProgress, registryError } from './docker/imageProgress';
import {
  HELPER_COMMAND,
  HELPER_IMAGE,
  HELPER_LABEL,
  HELPER_MOUNT,
  directoryChainTar,
  helperImageTar,
  prefixTarEntries,
  volumeSubpath,
} from './docker/volumeHelper';

export interface DockerodeRuntimeOptions {
  endpoint: ResolvedEndpoint;
  /** Limit for one request to be answered (for streams: to start answering). Default 60 s. */
  requestTimeoutMs?: number;
  /** Limit for `info()`, the reachability probe. Default 10 s. */
  infoTimeoutMs?: number;
}

interface RequestOptions {
  path: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  query?: Record<string, unknown>;
  body?: unknown;
  /** A request body stream (tar). */
  file?: NodeJS.ReadableStream;
  /** X-Registry-Auth. */
  authconfig?: object;
  /** X-Registry-Config. */
  registryconfig?: object;
  timeoutMs?: number;
  unreachableOnTimeout?: boolean;
}

const SUCCESS = { 200: true, 201: true, 204: true, 304: true } as const;

export class DockerodeRuntime implements ContainerRuntime {
  readonly endpoint: ResolvedEndpoint;
  private readonly docker: Docker;
  private readonly requestTimeoutMs: number;
  private readonly infoTimeoutMs: number;
  private helperImageReady = false;

  /** Resolve the endpoint like the docker CLI (setting → DOCKER_HOST → context → default socket) and connect. */
  static async fromEnvironment(
    setting: EndpointSetting = {},
    options: Omit<DockerodeRuntimeOptions, 'endpoint'> = {},
    io: EndpointEnvironment = nodeEndpointEnvironment(),
  ): Promise<DockerodeRuntime> {
    return new DockerodeRuntime({ ...options, endpoint: await resolveDockerEndpoint(setting, io) });
  }

  constructor(options: DockerodeRuntimeOptions) {
    this.endpoint = options.endpoint;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.infoTimeoutMs = options.infoTimeoutMs ?? 10_000;
    this.docker = createClient(options.endpoint);
  }

  async info(signal: AbortSignal): Promise<EngineInfo> {
    const version = await this.request<{ Os?: string; Arch?: string; Version?: string; ApiVersion?: string }>(
      'info',
      signal,
      {
        path: '/version',
        method: 'GET',
        timeoutMs: this.infoTimeoutMs,
        unreachableOnTimeout: true,
      },
    );
    const transport = this.endpoint.transport;
    return {
      endpoint: this.endpoint.endpoint,
      os: version.Os ?? '',
      architecture: version.Arch ?? '',
      serverVersion: version.Version ?? '',
      apiVersion: version.ApiVersion ?? '',
      ...(transport.kind === 'unix' ? { localSocketPath: transport.socketPath } : {}),
    };
  }

  async inspectImage(reference: string, signal: AbortSignal): Promise<ImageInfo | undefined> {
    const image = await this.requestOptional<{
      Id?: string;
      RepoDigests?: string[] | null;
      Os?: string;
      Architecture?: string;
    }>('inspect image', signal, {
      path: `/images/${reference}/json`,
      method: 'GET',
    });
    if (!image) return undefined;
    return {
      id: image.Id ?? '',
      repoDigests: image.RepoDigests ?? [],
      os: image.Os ?? '',
      architecture: image.Architecture ?? '',
    };
  }

  async pullImage(
    reference: string,
    auth: RegistryAuth | undefined,
    signal: AbortSignal,
    onOutput: (text: string) => void,
  ): Promise<void> {
    const { repository, tag, digest } = splitImageReference(reference);
    // Without a tag the engine would pull every tag of the repository; the docker CLI means `latest`.
    const query = { fromImage: repository, tag: digest ?? tag ?? 'latest' };
    const request: RequestOptions = { path: '/images/create', method: 'POST', query, authconfig: auth ?? {} };
    const stream = await this.openRegistryStream('pull image', reference, signal, request);
    await this.consumeProgress('pull image', stream, reference, signal, onOutput);
  }

  async createNetwork(
    name: string,
    options: { driver?: string; ipv6: boolean; labels: Record<string, string> },
    signal: AbortSignal,
  ): Promise<void> {
    const body = { Name: name, CheckDuplicate: true, EnableIPv6: options.ipv6, Labels: options.labels };
    await this.request('create network', signal, {
      path: '/networks/create',
      method: 'POST',
      body: options.driver ? { ...body, Driver: options.driver } : body,
    });
  }

  async removeNetwork(name: string, signal: AbortSignal): Promise<void> {
    await this.requestOptional('remove network', signal, { path: `/networks/${name}`, method: 'DELETE' });
  }

  async createVolume(name: string, labels: Record<string, string>, signal: AbortSignal): Promise<void> {
    await this.request('create volume', signal, {
      path: '/volumes/create',
      method: 'POST',
      body: { Name: name, Labels: labels },
    });
  }

  async removeVolume(name: string, signal: AbortSignal): Promise<void> {
    await this.requestOptional('remove volume', signal, { path: `/volumes/${name}`, method: 'DELETE' });
  }

  async writeToVolume(
    volume: string,
    path: string,
    tar: Readable,
    labels: Record<string, string>,
    signal: AbortSignal,
  ): Promise<void> {
    const subpath = volumeSubpath(path);
    const helper = await this.createVolumeHelper(volume, labels, false, signal);
    try {
      if (subpath !== '') {
        const target = `${HELPER_MOUNT}/${subpath}`;
        const exists = await this.requestOptional('inspect volume path', signal, {
          path: `/containers/${helper}/archive`,
          method: 'HEAD',
          query: { path: target },
        });
        if (exists === undefined)
          await this.putArchive(helper, HELPER_MOUNT, Readable.from(await directoryChainTar(subpath)), signal);
      }
      const prefix = [HELPER_MOUNT.slice(1), subpath].filter((part) => part !== '').join('/');
      await this.putArchive(helper, '/', prefixTarEntries(tar, prefix), signal);
    } finally {
      await this.removeContainer(helper, AbortSignal.timeout(this.requestTimeoutMs)).catch(() => undefined);
    }
  }

  async readFromVolume(
    volume: string,
    path: string,
    labels: Record<string, string>,
    signal: AbortSignal,
  ): Promise<Readable> {
    const subpath = volumeSubpath(path);
    const helper = await this.createVolumeHelper(volume, labels, true, signal);
    const removeHelper = (): Promise<void> =>
      this.removeContainer(helper, AbortSignal.timeout(this.requestTimeoutMs)).catch(() => undefined);
    let archive: NodeJS.ReadableStream;
    try {
      // The engine names entries after the path's last component (`src/…`, or `Dockerfile` for a file);
      // for the volume root that would be the helper's mount point, so `/.` asks for the contents (`./…`).
      const source = subpath === '' ? `${HELPER_MOUNT}/.` : `${HELPER_MOUNT}/${subpath}`;
      archive = await this.openStream('read volume', signal, {
        path: `/containers/${helper}/archive`,
        method: 'GET',
        query: { path: source },
      });
    } catch (error) {
      await removeHelper();
      throw error;
    }
    const output = new PassThrough();
    pipeline(archive, output)
      .catch((error: unknown) => output.destroy(signal.aborted ? (signal.reason as Error) : toError(error)))
      .finally(() => void removeHelper());
    return output;
  }

  async runContainer(spec: ContainerSpec, options: RunContainerOptions): Promise<ContainerResult> {
    const { signal } = options;
    const body = containerCreateBody(spec, { attach: !options.detach });
    const { name, ...config } = body;
    const created = await this.request<{ Id: string }>('create container', signal, {
      path: '/containers/create',
      method: 'POST',
      query: { name },
      body: config,
    });
    const id = created.Id;
    try {
      if (options.detach) {
        await this.request('start container', signal, { path: `/containers/${id}/start`, method: 'POST' });
        return { exitCode: undefined, containerId: id };
      }
      // Attach and wait are both established before start, like `docker run`: no output is missed, and
      // the wait cannot miss the exit (nor lose the container to AutoRemove).
      const attached = await this.openStream('attach container', signal, {
        path: `/containers/${id}/attach`,
        method: 'POST',
        query: { stream: true, stdout: true, stderr: true },
      });
      const demultiplexer = new StreamDemultiplexer(options.onOutput);
      const outputDone = (async () => {
        for await (const chunk of attached) demultiplexer.push(chunk as Buffer);
      })();
      const waiting = await this.openStream('wait for container', signal, {
        path: `/containers/${id}/wait`,
        method: 'POST',
        query: { condition: spec.autoRemove ? 'removed' : 'next-exit' },
      });
      const waitBody = readAll(waiting);
      await this.request('start container', signal, { path: `/containers/${id}/start`, method: 'POST' });
      const [waitText] = await Promise.all([waitBody, outputDone]);
      signal.throwIfAborted();
      const result = JSON.parse(waitText) as { StatusCode?: number; Error?: { Message?: string } | null };
      if (result.Error?.Message)
        throw new RuntimeError(`wait for container: ${result.Error.Message}`, 'wait for container');
      return { exitCode: result.StatusCode ?? 0, containerId: id };
    } catch (error) {
      // Cancelled: kill and remove. Failed to start: docker's --rm would remove it, --keep keeps it.
      if (signal.aborted || spec.autoRemove) {
        await this.removeContainer(id, AbortSignal.timeout(this.requestTimeoutMs)).catch(() => undefined);
      }
      throw translateEngineError(error, { operation: 'run container', caller: signal, endpoint: this.endpoint });
    }
  }

  async removeContainer(nameOrId: string, signal: AbortSignal): Promise<void> {
    try {
      await this.requestOptional('remove container', signal, {
        path: `/containers/${nameOrId}`,
        method: 'DELETE',
        query: { force: true, v: true },
      });
    } catch (error) {
      // AutoRemove (or another cleanup) got there first: wait until it is really gone.
      if (!(error instanceof RuntimeError && error.statusCode === 409 && /in progress/i.test(error.message)))
        throw error;
      await this.requestOptional('wait for container removal', signal, {
        path: `/containers/${nameOrId}/wait`,
        method: 'POST',
        query: { condition: 'removed' },
      });
    }
  }

  async buildImage(context: Readable, options: BuildImageOptions): Promise<{ imageId: string }> {
    let contextError: Error | undefined;
    context.once('error', (error: Error) => (contextError = error));
    const registryconfig = Object.fromEntries(options.registryAuths.map((auth) => [auth.serveraddress, auth]));
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.openStream('build image', options.signal, {
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
        endpoint: this.endpoint,
      });
    });
    options.signal.throwIfAborted();
    if (contextError) throw contextError;
    if (failure !== undefined) throw new RuntimeError(failure, 'build image');
    if (imageId === undefined)
      throw new RuntimeError('the engine finished the build without an image id', 'build image');
    return { imageId };
  }

  async pushImage(
    reference: string,
    auth: RegistryAuth | undefined,
    signal: AbortSignal,
    onOutput: (text: string) => void,
  ): Promise<PushResult> {
    const { repository, tag, digest } = splitImageReference(reference);
    if (digest !== undefined) throw new RegistryError(`cannot push a digest reference: ${reference}`, reference);
    const stream = await this.openRegistryStream('push image', reference, signal, {
      path: `/images/${repository}/push`,
      method: 'POST',
      query: { tag: tag ?? 'latest' },
      // The engine requires the header even for anonymous pushes; `{}` is what the docker CLI sends.
      authconfig: auth ?? {},
    });
    return this.consumeProgress('push image', stream, reference, signal, onOutput);
  }

  async listRunResources(runId: string, signal: AbortSignal): Promise<RunResources> {
    const filters = JSON.stringify({ label: [`${RUN_ID_LABEL}=${runId}`] });
    const [containers, networks, volumes] = await Promise.all([
      this.request<Array<{ Names?: string[]; Id: string }>>('list containers', signal, {
        path: '/containers/json',
        method: 'GET',
        query: { all: true, filters },
      }),
      this.request<Array<{ Name: string }>>('list networks', signal, {
        path: '/networks',
        method: 'GET',
        query: { filters },
      }),
      this.request<{ Volumes: Array<{ Name: string }> | null }>('list volumes', signal, {
        path: '/volumes',
        method: 'GET',
        query: { filters },
      }),
    ]);
    return {
      containers: containers.map((c) => (c.Names?.[0] ?? c.Id).replace(/^\//, '')).sort(),
      networks: networks.map((n) => n.Name).sort(),
      volumes: (volumes.Volumes ?? []).map((v) => v.Name).sort(),
    };
  }

  private async ensureHelperImage(signal: AbortSignal): Promise<void> {
    if (this.helperImageReady) return;
    if (!(await this.inspectImage(HELPER_IMAGE, signal))) {
      const [repository, tag] = HELPER_IMAGE.split(':');
      const stream = await this.openStream('import helper image', signal, {
        path: '/images/create',
        method: 'POST',
        query: { fromSrc: '-', repo: repository, tag, changes: [`LABEL ${HELPER_LABEL}=volume`] },
        file: Readable.from(await helperImageTar()),
      });
      await this.consumeProgress('import helper image', stream, HELPER_IMAGE, signal, () => undefined);
    }
    this.helperImageReady = true;
  }

  /** A created (never started) container with `volume` at HELPER_MOUNT; returns its id. */
  private async createVolumeHelper(
    volume: string,
    labels: Record<string, string>,
    readOnly: boolean,
    signal: AbortSignal,
  ): Promise<string> {
    // Binding a missing volume would silently create an unlabelled one that no cleanup finds.
    await this.request('inspect volume', signal, { path: `/volumes/${volume}`, method: 'GET' });
    await this.ensureHelperImage(signal);
    const created = await this.request<{ Id: string }>('create volume helper', signal, {
      path: '/containers/create',
      method: 'POST',
      body: {
        Image: HELPER_IMAGE,
        Cmd: HELPER_COMMAND,
        Labels: { ...labels, [HELPER_LABEL]: 'volume' },
        NetworkDisabled: true,
        HostConfig: { Binds: [`${volume}:${HELPER_MOUNT}${readOnly ? ':ro' : ''}`] },
      },
    });
    return created.Id;
  }

  private async putArchive(
    container: string,
    target: string,
    tar: NodeJS.ReadableStream,
    signal: AbortSignal,
  ): Promise<void> {
    await this.request('write to volume', signal, {
      path: `/containers/${container}/archive`,
      method: 'PUT',
      query: { path: target, noOverwriteDirNonDir: true },
      file: tar,
      // Uploading a large workspace legitimately takes long; the caller's signal bounds it.
      timeoutMs: undefined,
    });
  }

  private async consumeProgress(
    operation: string,
    stream: NodeJS.ReadableStream,
    reference: string,
    signal: AbortSignal,
    onOutput: (text: string) => void,
  ): Promise<PushResult> {
    try {
      return await consumeImageProgress(stream, reference, signal, onOutput);
    } catch (error) {
      throw translateEngineError(error, { operation, caller: signal, endpoint: this.endpoint });
    }
  }

  /** Opens a pull/push stream; failures before streaming (HTTP errors) become RegistryErrors. */
  private async openRegistryStream(
    operation: string,
    reference: string,
    signal: AbortSignal,
    options: RequestOptions,
  ): Promise<NodeJS.ReadableStream> {
    try {
      return await this.openStream(operation, signal, options);
    } catch (error) {
      if (error instanceof RuntimeError) throw registryError(error.message, reference, error.statusCode);
      throw error;
    }
  }

  /** A request whose 404 means "absent" (resolves undefined). */
  private async requestOptional<T>(
    operation: string,
    signal: AbortSignal,
    options: RequestOptions,
  ): Promise<T | undefined> {
    try {
      return await this.request<T>(operation, signal, options);
    } catch (error) {
      if (error instanceof RuntimeError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  private request<T = unknown>(operation: string, signal: AbortSignal, options: RequestOptions): Promise<T> {
    return this.dial<T>(operation, signal, options, false);
  }

  /** A streaming request: resolves with the response stream once the engine starts answering. */
  private openStream(operation: string, signal: AbortSignal, options: RequestOptions): Promise<NodeJS.ReadableStream> {
    return this.dial<NodeJS.ReadableStream>(operation, signal, options, true);
  }

  private async dial<T>(
    operation: string,
    signal: AbortSignal,
    options: RequestOptions,
    isStream: boolean,
  ): Promise<T> {
    signal.throwIfAborted();
    const timeoutMs = 'timeoutMs' in options ? options.timeoutMs : this.requestTimeoutMs;
    const deadline = new Deadline(signal, timeoutMs);
    const context = {
      operation,
      caller: signal,
      deadline,
      endpoint: this.endpoint,
      unreachableOnTimeout: options.unreachableOnTimeout ?? false,
    };
    try {
      const result = await new Promise<T>((resolve, reject) => {
        this.docker.modem.dial(
          {
            path: `${options.path}?`,
            method: options.method,
            // Separate query and body: docker-modem would otherwise put the whole body (env values
            // included) into the URL as well.
            options: { _query: options.query ?? {}, _body: options.body ?? {} },
            ...(options.file ? { file: options.file } : {}),
            ...(options.authconfig ? { authconfig: options.authconfig } : {}),
            ...(options.registryconfig ? { registryconfig: options.registryconfig } : {}),
            abortSignal: deadline.signal,
            isStream,
            statusCodes: SUCCESS,
          },
          (error: unknown, data: unknown) => (error ? reject(toError(error)) : resolve(data as T)),
        );
      });
      if (!isStream) return result;
      // The answer has started: from now on only the caller's signal may end the stream.
      deadline.stopTimer();
      const stream = result as NodeJS.ReadableStream;
      const release = (): void => deadline.dispose();
      stream.once('end', release);
      stream.once('close', release);
      stream.once('error', release);
      return result;
    } catch (error) {
      deadline.dispose();
      throw translateEngineError(error, context);
    } finally {
      if (!isStream) deadline.dispose();
    }
  }
}

/**
 * docker-modem reads DOCKER_HOST & co. itself in its constructor and lets them override (or crash on)
 * the endpoint we resolved. Hiding DOCKER_HOST during the synchronous construction keeps our resolution
 * authoritative; nothing else can run in between.
 */
function createClient(endpoint: ResolvedEndpoint): Docker {
  const transport = endpoint.transport;
  let options: Docker.DockerOptions & { agent?: https.Agent };
  if (transport.kind === 'unix') {
    options = { socketPath: transport.socketPath };
  } else if (transport.kind === 'ssh') {
    options = {
      protocol: 'ssh',
      host: transport.host,
      port: transport.port,
      username: transport.username,
      sshOptions: {
        ...(transport.agent ? { agent: transport.agent } : {}),
        ...(transport.privateKey ? { privateKey: transport.privateKey } : {}),
      },
    };
  } else if (transport.tls) {
    const { ca, cert, key, verify } = transport.tls;
    options = { protocol: 'https', host: transport.host, port: transport.port, ca, cert, key };
    // docker-modem has no "skip verification" switch; an agent carries it (SkipTLSVerify contexts, DOCKER_TLS).
    if (!verify) options.agent = new https.Agent({ ca, cert, key, rejectUnauthorized: false });
  } else {
    options = { protocol: 'http', host: transport.host, port: transport.port };
  }
  const saved = process.env['DOCKER_HOST'];
  delete process.env['DOCKER_HOST'];
  try {
    return new Docker(options);
  } finally {
    if (saved !== undefined) process.env['DOCKER_HOST'] = saved;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
