/**
 * The engine's view of a container engine, in our own types. Exactly one implementation talks to
 * Docker (DockerodeRuntime.ts, the only file that imports dockerode); the scheduler's unit tests use a
 * fake. Every call takes an AbortSignal and fails with a typed error, never a dockerode object.
 */
import type { Readable } from 'node:stream';

/** Labels put on everything a run creates, so cleanup (and leak tests) can find them. */
export const RUN_ID_LABEL = 'dev.acr-tasks-local.run-id';
export const STEP_ID_LABEL = 'dev.acr-tasks-local.step-id';

export interface EngineInfo {
  /** Human description of where we connected, e.g. `unix:///var/run/docker.sock` or `tcp://host:2376 (TLS)`. */
  endpoint: string;
  /** Engine GOOS / GOARCH, used for `$OS` / `$Architecture`. */
  os: string;
  architecture: string;
  serverVersion: string;
  apiVersion: string;
  /** True when the engine's socket is a local unix socket we can bind-mount into step containers. */
  localSocketPath?: string;
}

/** Credentials for one registry, already resolved (from config.json, a helper, or given explicitly). */
export interface RegistryAuth {
  serveraddress: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

export type OutputStream = 'stdout' | 'stderr';

export interface ContainerSpec {
  name: string;
  image: string;
  /** Arguments after the image (Docker `Cmd`). */
  args: string[];
  /** Docker `Entrypoint` override, already split into words. */
  entrypoint?: string[];
  env: string[];
  /** undefined → the image's own WORKDIR. */
  workingDir?: string;
  user?: string;
  privileged: boolean;
  /** Network name; undefined → Docker's default bridge. */
  network?: string;
  /** DNS aliases on `network` (the step id). */
  networkAliases: string[];
  /** `-p` values as written (`8080:80`, `127.0.0.1:8080:80/tcp`, `80`). */
  ports: string[];
  /** `--expose` values as written. */
  expose: string[];
  /** `source:target[:mode]` bind/volume specs. */
  binds: string[];
  /** `--rm`. Ignored for detached containers, which the run removes at cleanup. */
  autoRemove: boolean;
  /** `--cpus` as a decimal string (`"1.5"`). */
  cpus?: string;
  isolation?: string;
  labels: Record<string, string>;
}

export interface RunContainerOptions {
  signal: AbortSignal;
  onOutput: (stream: OutputStream, chunk: Buffer) => void;
  /** Return as soon as the container has started (ACR `detach`). */
  detach: boolean;
  /**
   * With `autoRemove`: resolve once the container has exited and its output is delivered, while the
   * engine finishes removing it. Default: resolve only once it is gone, as `docker run --rm` does.
   */
  returnAtExit?: boolean;
}

export interface ContainerResult {
  /** Exit code; undefined for a detached container. */
  exitCode: number | undefined;
  containerId: string;
}

export interface BuildImageOptions {
  /** Path of the Dockerfile inside the context tar. */
  dockerfile: string;
  tags: string[];
  buildArgs: Record<string, string>;
  target?: string;
  platform?: string;
  noCache: boolean;
  pull: boolean;
  labels: Record<string, string>;
  /** Auth for base images in private registries (X-Registry-Config). */
  registryAuths: RegistryAuth[];
  signal: AbortSignal;
  /** Build output lines (already decoded from the JSON stream), with ANSI colours kept. */
  onOutput: (text: string) => void;
}

export interface ImageInfo {
  id: string;
  repoDigests: string[];
  os: string;
  architecture: string;
  /** CPU variant (`v7`, `v8`), when the image records one. */
  variant?: string;
}

export interface PushResult {
  digest?: string;
}

export interface RunResources {
  containers: string[];
  networks: string[];
  volumes: string[];
}

export interface ContainerRuntime {
  info(signal: AbortSignal): Promise<EngineInfo>;
  inspectImage(reference: string, signal: AbortSignal): Promise<ImageInfo | undefined>;
  pullImage(
    reference: string,
    auth: RegistryAuth | undefined,
    signal: AbortSignal,
    onOutput: (text: string) => void,
  ): Promise<void>;
  createNetwork(
    name: string,
    options: { driver?: string; ipv6: boolean; labels: Record<string, string> },
    signal: AbortSignal,
  ): Promise<void>;
  removeNetwork(name: string, signal: AbortSignal): Promise<void>;
  createVolume(name: string, labels: Record<string, string>, signal: AbortSignal): Promise<void>;
  removeVolume(name: string, signal: AbortSignal): Promise<void>;
  /** Extract a tar stream into `path` of a volume (works on remote engines: the data goes through the API). */
  writeToVolume(
    volume: string,
    path: string,
    tar: Readable,
    labels: Record<string, string>,
    signal: AbortSignal,
  ): Promise<void>;
  /** A tar stream of `path` inside a volume (used to build from the workspace). */
  readFromVolume(volume: string, path: string, labels: Record<string, string>, signal: AbortSignal): Promise<Readable>;
  runContainer(spec: ContainerSpec, options: RunContainerOptions): Promise<ContainerResult>;
  /** Force-remove a container by name or id; absent is not an error. */
  removeContainer(nameOrId: string, signal: AbortSignal): Promise<void>;
  buildImage(context: Readable, options: BuildImageOptions): Promise<{ imageId: string }>;
  pushImage(
    reference: string,
    auth: RegistryAuth | undefined,
    signal: AbortSignal,
    onOutput: (text: string) => void,
  ): Promise<PushResult>;
  /** Everything labelled with this run id (containers in any state). */
  listRunResources(runId: string, signal: AbortSignal): Promise<RunResources>;
}

/** The engine could not be reached; says which endpoint and why. */
export class EngineUnreachableError extends Error {
  constructor(
    readonly endpoint: string,
    readonly reason: string,
  ) {
    super(`Cannot reach the Docker engine at ${endpoint}: ${reason}`);
    this.name = 'EngineUnreachableError';
  }
}

/** A registry refused or failed a push/pull; `status` is the HTTP status when known (401, 404, …). */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly reference: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** Any other engine API failure, with the operation that failed. */
export class RuntimeError extends Error {
  constructor(
    message: string,
    readonly operation: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}
