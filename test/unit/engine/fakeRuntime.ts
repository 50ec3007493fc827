/**
 * An in-memory ContainerRuntime for the scheduler's unit tests. Containers run a tiny script language
 * instead of programs (the image name is ignored unless a test installs its own `onRun`):
 *   `echo WORDS…`  print to stdout      `fail N` exit with N        `sleep MS` wait (abortable)
 *   `flaky K`      fail the first K runs of this container name, then succeed
 * Several commands can be joined with `--then`. Every call is logged with a timestamp, and resources
 * are tracked with their labels so tests can assert that a run leaves nothing behind.
 */
import { PassThrough, type Readable } from 'node:stream';
import * as tar from 'tar-stream';

import {
  type BuildImageOptions,
  type ContainerResult,
  type ContainerRuntime,
  type ContainerSpec,
  type EngineInfo,
  type ImageInfo,
  type PushResult,
  type RegistryAuth,
  RUN_ID_LABEL,
  type RunContainerOptions,
  type RunResources,
} from '../../../server/src/engine/ContainerRuntime';

export interface CallRecord {
  op: string;
  name: string;
  at: number;
  detail?: unknown;
}

type OnRun = (spec: ContainerSpec, options: RunContainerOptions, runtime: FakeRuntime) => Promise<number | undefined>;

function abortable(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      },
      { once: true },
    );
  });
}

async function readAll(stream: Readable): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  await new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (chunk: unknown) => {
        if (Buffer.isBuffer(chunk)) chunks.push(chunk);
      });
      body.on('end', () => {
        if (header.type === 'file') files.set(header.name, Buffer.concat(chunks));
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
    stream.on('error', reject);
    stream.pipe(extract);
  });
  return files;
}

export class FakeRuntime implements ContainerRuntime {
  readonly calls: CallRecord[] = [];
  readonly containers = new Map<string, { spec: ContainerSpec; running: boolean }>();
  readonly networks = new Map<string, Record<string, string>>();
  readonly volumes = new Map<string, { labels: Record<string, string>; files: Map<string, Buffer> }>();
  readonly images = new Map<string, ImageInfo>([
    ['fake', { id: 'sha256:fake', repoDigests: [], os: 'linux', architecture: 'amd64' }],
  ]);
  readonly builds: { options: BuildImageOptions; files: string[] }[] = [];
  readonly runCounts = new Map<string, number>();
  engineInfo: EngineInfo | Error = {
    endpoint: 'fake://engine',
    os: 'linux',
    architecture: 'amd64',
    serverVersion: '1',
    apiVersion: '1.41',
    localSocketPath: '/var/run/docker.sock',
  };
  onRun: OnRun = (spec, options) => this.script(spec, options);
  onPush: (reference: string, auth: RegistryAuth | undefined) => Promise<PushResult> = () =>
    Promise.resolve({ digest: 'sha256:pushed' });
  private readonly started = Date.now();

  private log(op: string, name: string, detail?: unknown): void {
    this.calls.push({ op, name, at: Date.now() - this.started, ...(detail === undefined ? {} : { detail }) });
  }

  /** Times of an operation on a container, e.g. `when('start', 'acb_r1_a')`. */
  when(op: string, name: string): number | undefined {
    return this.calls.find((call) => call.op === op && call.name === name)?.at;
  }

  ops(op: string): string[] {
    return this.calls.filter((call) => call.op === op).map((call) => call.name);
  }

  async script(spec: ContainerSpec, options: RunContainerOptions): Promise<number | undefined> {
    const count = (this.runCounts.get(spec.name) ?? 0) + 1;
    this.runCounts.set(spec.name, count);
    const commands: string[][] = [[]];
    for (const word of spec.args) {
      if (word === '--then') commands.push([]);
      else commands[commands.length - 1].push(word);
    }
    for (const [verb, ...rest] of commands) {
      if (verb === 'echo') options.onOutput('stdout', Buffer.from(`${rest.join(' ')}\n`));
      else if (verb === 'fail') return Number(rest[0]);
      else if (verb === 'sleep') await abortable(Number(rest[0]), options.signal);
      else if (verb === 'flaky' && count <= Number(rest[0])) {
        options.onOutput('stderr', Buffer.from(`flaky failure ${count}\n`));
        return 1;
      }
    }
    return 0;
  }

  info(): Promise<EngineInfo> {
    this.log('info', '');
    return this.engineInfo instanceof Error ? Promise.reject(this.engineInfo) : Promise.resolve(this.engineInfo);
  }

  inspectImage(reference: string): Promise<ImageInfo | undefined> {
    return Promise.resolve(this.images.get(reference));
  }

  pullImage(reference: string): Promise<void> {
    this.log('pull', reference);
    this.images.set(reference, { id: `sha256:${reference}`, repoDigests: [], os: 'linux', architecture: 'amd64' });
    return Promise.resolve();
  }

  createNetwork(name: string, options: { labels: Record<string, string> }): Promise<void> {
    this.log('createNetwork', name, options);
    if (this.networks.has(name)) return Promise.reject(new Error(`network ${name} already exists`));
    this.networks.set(name, options.labels);
    return Promise.resolve();
  }

  removeNetwork(name: string): Promise<void> {
    this.log('removeNetwork', name);
    this.networks.delete(name);
    return Promise.resolve();
  }

  createVolume(name: string, labels: Record<string, string>): Promise<void> {
    this.log('createVolume', name);
    this.volumes.set(name, { labels, files: new Map() });
    return Promise.resolve();
  }

  removeVolume(name: string): Promise<void> {
    this.log('removeVolume', name);
    this.volumes.delete(name);
    return Promise.resolve();
  }

  async writeToVolume(volume: string, path: string, stream: Readable): Promise<void> {
    const target = this.volumes.get(volume);
    if (!target) throw new Error(`no volume ${volume}`);
    const prefix = path.replace(/^\/+|\/+$/g, '');
    for (const [name, content] of await readAll(stream)) target.files.set(prefix ? `${prefix}/${name}` : name, content);
  }

  readFromVolume(volume: string, path: string): Promise<Readable> {
    const source = this.volumes.get(volume);
    if (!source) return Promise.reject(new Error(`no volume ${volume}`));
    const prefix = path.replace(/^\/+|\/+$/g, '');
    const pack = tar.pack();
    let found = false;
    for (const [name, content] of source.files) {
      if (name === prefix) {
        pack.entry({ name: name.split('/').pop()! }, content);
        found = true;
      } else if (prefix === '' || name.startsWith(`${prefix}/`)) {
        pack.entry({ name: prefix === '' ? name : name.slice(prefix.length + 1) }, content);
        found = true;
      }
    }
    pack.finalize();
    if (!found) return Promise.reject(new Error(`${path}: no such file or directory`));
    return Promise.resolve(pack.pipe(new PassThrough()));
  }

  async runContainer(spec: ContainerSpec, options: RunContainerOptions): Promise<ContainerResult> {
    if (this.containers.has(spec.name))
      throw new Error(`Conflict: the container name "${spec.name}" is already in use`);
    this.containers.set(spec.name, { spec, running: true });
    this.log('start', spec.name, spec);
    if (options.detach) {
      // Keeps "running" until removed, like a server.
      return { exitCode: undefined, containerId: spec.name };
    }
    let exitCode: number | undefined;
    try {
      exitCode = await this.onRun(spec, options, this);
    } catch (error) {
      this.log('killed', spec.name);
      this.containers.get(spec.name)!.running = false;
      throw error;
    }
    this.log('exit', spec.name, exitCode);
    this.containers.get(spec.name)!.running = false;
    if (spec.autoRemove) this.containers.delete(spec.name);
    return { exitCode, containerId: spec.name };
  }

  removeContainer(nameOrId: string): Promise<void> {
    if (this.containers.delete(nameOrId)) this.log('removeContainer', nameOrId);
    return Promise.resolve();
  }

  async buildImage(context: Readable, options: BuildImageOptions): Promise<{ imageId: string }> {
    const files = await readAll(context);
    this.builds.push({ options, files: [...files.keys()].sort() });
    this.log('build', options.tags.join(','));
    options.onOutput('Step 1/1 : FROM fake\n');
    const imageId = `sha256:built${this.builds.length}`;
    for (const tag of options.tags)
      this.images.set(tag, { id: imageId, repoDigests: [], os: 'linux', architecture: 'amd64' });
    return { imageId };
  }

  async pushImage(reference: string, auth: RegistryAuth | undefined, signal: AbortSignal): Promise<PushResult> {
    this.log('push', reference, auth?.serveraddress);
    if (signal.aborted) throw new Error('aborted');
    return this.onPush(reference, auth);
  }

  listRunResources(runId: string): Promise<RunResources> {
    const mine = (labels: Record<string, string>) => labels[RUN_ID_LABEL] === runId;
    return Promise.resolve({
      containers: [...this.containers.entries()].filter(([, c]) => mine(c.spec.labels)).map(([name]) => name),
      networks: [...this.networks.entries()].filter(([, labels]) => mine(labels)).map(([name]) => name),
      volumes: [...this.volumes.entries()].filter(([, v]) => mine(v.labels)).map(([name]) => name),
    });
  }

  /** Text of a file in a volume. */
  file(volume: string, path: string): string | undefined {
    return this.volumes.get(volume)?.files.get(path)?.toString('utf8');
  }
}
