/**
 * The ContainerRuntime on a real Docker engine — the only file that imports dockerode. Every Engine API
 * call goes through {@link DockerodeRuntime.dial}: one place that applies the caller's AbortSignal and a
 * timeout and turns every failure into our typed errors (or the caller's abort reason), so no dockerode
 * type or error object leaves this file. Image and volume operations live in ./docker/ and reach the
 * engine through the {@link EngineRequests} this class implements (other code uses ContainerRuntime).
 *
 * Timeouts: a request must be answered within `requestTimeoutMs`; uploads (contexts, workspaces) restart
 * that timer with every chunk sent, so only a stalled upload times out; once a response stream has begun
 * (container output, build or push progress) only the caller's signal ends it — a step's own timeout.
 */
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import Docker from 'dockerode';

import {
  RUN_ID_LABEL,
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
import { StreamDemultiplexer } from './docker/dockerStreams';
import { dialQuietly, uploadWatched } from './docker/dialHelpers';
import { Deadline, translateEngineError } from './docker/engineErrors';
import {
  inspectImage,
  readAll,
  removeContainer,
  removeContainerQuietly,
  requestOptional,
  toError,
  type EngineRequestOptions,
  type EngineRequests,
} from './docker/engineRequests';
import { buildImage, pullImage, pushImage } from './docker/imageTransfer';
import { VolumeTransfer } from './docker/volumeTransfer';

export interface DockerodeRuntimeOptions {
  endpoint: ResolvedEndpoint;
  /** Limit for one request to be answered (for streams: to start answering). Default 60 s. */
  requestTimeoutMs?: number;
  /** Limit for `info()`, the reachability probe. Default 10 s. */
  infoTimeoutMs?: number;
}

const SUCCESS = { 200: true, 201: true, 204: true, 304: true } as const;

export class DockerodeRuntime implements ContainerRuntime, EngineRequests {
  readonly endpoint: ResolvedEndpoint;
  readonly requestTimeoutMs: number;
  private readonly infoTimeoutMs: number;
  private readonly docker: Docker;
  private readonly volumes: VolumeTransfer;

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
    this.volumes = new VolumeTransfer(this);
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

  inspectImage(reference: string, signal: AbortSignal): Promise<ImageInfo | undefined> {
    return inspectImage(this, reference, signal);
  }

  pullImage(
    reference: string,
    auth: RegistryAuth | undefined,
    signal: AbortSignal,
    onOutput: (text: string) => void,
  ): Promise<void> {
    return pullImage(this, reference, auth, signal, onOutput);
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
    await requestOptional(this, 'remove network', signal, { path: `/networks/${name}`, method: 'DELETE' });
  }

  async createVolume(name: string, labels: Record<string, string>, signal: AbortSignal): Promise<void> {
    await this.request('create volume', signal, {
      path: '/volumes/create',
      method: 'POST',
      body: { Name: name, Labels: labels },
    });
  }

  async removeVolume(name: string, signal: AbortSignal): Promise<void> {
    await requestOptional(this, 'remove volume', signal, { path: `/volumes/${name}`, method: 'DELETE' });
  }

  writeToVolume(
    volume: string,
    path: string,
    tar: Readable,
    labels: Record<string, string>,
    signal: AbortSignal,
  ): Promise<void> {
    return this.volumes.write(volume, path, tar, labels, signal);
  }

  /**
   * Entries are named after the path's last component (`src/…`, or `Dockerfile` for a file); for the
   * volume root they are `./…`. The stream ends once the helper container is removed.
   */
  readFromVolume(volume: string, path: string, labels: Record<string, string>, signal: AbortSignal): Promise<Readable> {
    return this.volumes.read(volume, path, labels, signal);
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
      return { exitCode: await this.runAttached(id, spec, options), containerId: id };
    } catch (error) {
      // Cancelled: kill and remove. Failed to start: docker's --rm would remove it, --keep keeps it.
      if (signal.aborted || spec.autoRemove) {
        await removeContainerQuietly(this, id);
      }
      throw translateEngineError(error, { operation: 'run container', caller: signal, endpoint: this.endpoint });
    }
  }

  /** Attach, wait, start, then the exit code once the exit is known and all output delivered. */
  private async runAttached(id: string, spec: ContainerSpec, options: RunContainerOptions): Promise<number> {
    // Our own controller ends the attach and wait requests when start fails (they would otherwise wait
    // for an exit that never comes); the caller's signal still ends them too.
    const streams = new AbortController();
    const streamSignal = AbortSignal.any([options.signal, streams.signal]);
    try {
      // Attach and wait are both established before start, like `docker run`: no output is missed, and
      // the wait cannot miss the exit (nor lose the container to AutoRemove). `removed` answers only once
      // AutoRemove has finished; `next-exit` at the exit, with the removal still going on.
      const attached = await this.openStream('attach container', streamSignal, {
        path: `/containers/${id}/attach`,
        method: 'POST',
        query: { stream: true, stdout: true, stderr: true },
      });
      const demultiplexer = new StreamDemultiplexer(options.onOutput);
      const outputDone = (async () => {
        for await (const chunk of attached) demultiplexer.push(chunk as Buffer);
      })();
      outputDone.catch(() => undefined); // awaited below; this only marks an early failure as handled
      const waiting = await this.openStream('wait for container', streamSignal, {
        path: `/containers/${id}/wait`,
        method: 'POST',
        query: { condition: spec.autoRemove && !options.returnAtExit ? 'removed' : 'next-exit' },
      });
      const waitBody = readAll(waiting);
      waitBody.catch(() => undefined);
      await this.request('start container', options.signal, { path: `/containers/${id}/start`, method: 'POST' });
      const [waitText] = await Promise.all([waitBody, outputDone]);
      options.signal.throwIfAborted();
      const result = JSON.parse(waitText) as { StatusCode?: number; Error?: { Message?: string } | null };
      if (result.Error?.Message) {
        throw new RuntimeError(`wait for container: ${result.Error.Message}`, 'wait for container');
      }
      return result.StatusCode ?? 0;
    } finally {
      streams.abort();
    }
  }

  removeContainer(nameOrId: string, signal: AbortSignal): Promise<void> {
    return removeContainer(this, nameOrId, signal);
  }

  buildImage(context: Readable, options: BuildImageOptions): Promise<{ imageId: string }> {
    return buildImage(this, context, options);
  }

  pushImage(
    reference: string,
    auth: RegistryAuth | undefined,
    signal: AbortSignal,
    onOutput: (text: string) => void,
  ): Promise<PushResult> {
    return pushImage(this, reference, auth, signal, onOutput);
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

  request<T = unknown>(operation: string, signal: AbortSignal, options: EngineRequestOptions): Promise<T> {
    return this.dial<T>(operation, signal, options, false);
  }

  openStream(operation: string, signal: AbortSignal, options: EngineRequestOptions): Promise<NodeJS.ReadableStream> {
    return this.dial<NodeJS.ReadableStream>(operation, signal, options, true);
  }

  private async dial<T>(
    operation: string,
    signal: AbortSignal,
    options: EngineRequestOptions,
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
        dialQuietly(this.endpoint, () =>
          this.docker.modem.dial(
            {
              path: `${options.path}?`,
              method: options.method,
              // Separate query and body: docker-modem would otherwise put the whole body (env values
              // included) into the URL as well.
              options: { _query: options.query ?? {}, _body: options.body ?? {} },
              ...(options.file ? { file: uploadWatched(options.file, deadline) } : {}),
              ...(options.authconfig ? { authconfig: options.authconfig } : {}),
              ...(options.registryconfig ? { registryconfig: options.registryconfig } : {}),
              abortSignal: deadline.signal,
              isStream,
              statusCodes: SUCCESS,
            },
            (error: unknown, data: unknown) => (error ? reject(toError(error)) : resolve(data as T)),
          ),
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
