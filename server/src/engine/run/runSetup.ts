/**
 * Everything a run creates before its first step, as ACR's agent has it (spec §4.2, §4.3, §5.5):
 * the shared `/workspace` volume holding a copy of the source context, the home volume with a docker
 * `config.json` carrying the run's registry logins, the task's networks and its secret volumes.
 *
 * Deliberate deviations (documented in the README): every name is scoped to the run, so concurrent
 * runs and leftovers never collide — the workspace `acb_vol_<run>`, the home volume `acb_home_<run>`
 * (ACR's is literally `home`), task volumes `acb_<run>_<name>`, and the automatic default network
 * `acb_default_network_<run>` (ACR's is `acb_default_network`). Steps still reach each other by step id,
 * which is each container's DNS alias on user-defined networks. Networks the task declares keep their
 * names, as in ACR. Everything is labelled with the run id, which is what cleanup removes.
 */
import { PassThrough, type Readable } from 'node:stream';
import * as tar from 'tar-stream';

import { DEFAULT_NETWORK_NAME, type Task } from '../../task/model';
import { resolveTaskNetworks, type TaskNetworks } from '../../task/stepSettings';
import type { ContainerRuntime, EngineInfo, RegistryAuth } from '../ContainerRuntime';
import { packContext } from '../context/contextPacking';
import { runLabels, type RunResourceNames } from '../steps/stepPlan';
import type { RunEvents } from './runEvents';

export function workspaceVolumeName(runId: string): string {
  return `acb_vol_${runId}`;
}

export function homeVolumeName(runId: string): string {
  return `acb_home_${runId}`;
}

export function taskVolumeName(runId: string, name: string): string {
  return `acb_${runId}_${name}`;
}

export function defaultNetworkName(runId: string): string {
  return `${DEFAULT_NETWORK_NAME}_${runId}`;
}

/** A setup failure; the run fails with this message before any step starts. */
export class RunSetupError extends Error {
  override name = 'RunSetupError';
}

/**
 * The task's networks with the automatic default network renamed for this run. A CLI `--network`
 * (external, never created) is used as given.
 */
export function runNetworks(task: Task, runId: string, cliNetwork?: string): TaskNetworks {
  const resolved = resolveTaskNetworks(task, cliNetwork);
  if (task.networks.length > 0) return resolved;
  const rename = (name: string | undefined) => (name === DEFAULT_NETWORK_NAME ? defaultNetworkName(runId) : name);
  return {
    create: resolved.create.map((network) => ({ ...network, name: rename(network.name)! })),
    defaultNetwork: rename(resolved.defaultNetwork),
  };
}

/** Names of everything the run uses; known before setup (the workspace name is `$SharedVolume`). */
export function runResourceNames(task: Task, runId: string, engine: EngineInfo, cliNetwork?: string): RunResourceNames {
  const names: RunResourceNames = {
    runId,
    workspaceVolume: workspaceVolumeName(runId),
    homeVolume: homeVolumeName(runId),
    networks: runNetworks(task, runId, cliNetwork),
    volumes: new Map(task.volumes.map((volume) => [volume.name, taskVolumeName(runId, volume.name)])),
  };
  if (engine.localSocketPath) names.dockerSocket = engine.localSocketPath;
  return names;
}

function tarOf(files: readonly { name: string; content?: Buffer; directory?: boolean }[]): Readable {
  const pack = tar.pack();
  for (const file of files) {
    if (file.directory) pack.entry({ name: file.name, type: 'directory', mode: 0o755 });
    else pack.entry({ name: file.name, mode: 0o644 }, file.content ?? Buffer.alloc(0));
  }
  pack.finalize();
  // tar-stream packs are streamx streams; the runtime takes a Node stream.
  return pack.pipe(new PassThrough());
}

/** The docker CLI configuration ACR writes into the home volume (§5.5), with the run's logins. */
export function homeDockerConfig(logins: readonly RegistryAuth[]): string {
  const auths: Record<string, Record<string, string>> = {};
  for (const login of logins) {
    if (login.identitytoken) auths[login.serveraddress] = { identitytoken: login.identitytoken };
    else if (login.username !== undefined) {
      auths[login.serveraddress] = {
        auth: Buffer.from(`${login.username}:${login.password ?? ''}`).toString('base64'),
      };
    }
  }
  return `${JSON.stringify({ auths, experimental: 'enabled', HttpHeaders: { 'X-Meta-Source-Client': 'azure/acr/tasks' } }, null, 2)}\n`;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes a task volume's files (§4.3: every value must be standard Base64). */
export function decodeSecretFiles(volume: {
  name: string;
  secret: Record<string, string>;
}): { name: string; content: Buffer }[] {
  return Object.entries(volume.secret).map(([file, value]) => {
    if (!BASE64.test(value))
      throw new RunSetupError(`volume ${volume.name}: the value of secret file ${file} is not valid Base64`);
    return { name: file, content: Buffer.from(value, 'base64') };
  });
}

export interface RunSetupInput {
  runtime: ContainerRuntime;
  task: Task;
  names: RunResourceNames;
  contextDir: string;
  /**
   * False for quick builds: their build reads the context straight from disk, and with only build and
   * push steps nothing mounts a workspace or home volume, so neither is made.
   */
  sourceInWorkspace?: boolean;
  registryLogins: readonly RegistryAuth[];
  events: RunEvents;
  signal: AbortSignal;
}

type Messages = Parameters<RunEvents['message']>[];

/**
 * Creates the run's volumes and networks and fills them. Throws {@link RunSetupError} or the runtime's errors.
 * The workspace, the home volume, the networks and the task volumes do not depend on one another, so
 * they are made side by side (each is a few engine round trips; in sequence they were most of a short
 * run's fixed cost, measured in bench/engine). Every part has finished before a failure is thrown, so
 * cleanup never races a creation still under way; the messages come out in the same order every time.
 */
export async function setUpRun(input: RunSetupInput): Promise<void> {
  const { names, events } = input;
  const labels = runLabels(names.runId);
  if (input.sourceInWorkspace === false) return;

  const parts = [fillWorkspace, fillHome, createNetworks, createTaskVolumes];
  const messages = parts.map((): Messages => []);
  // The others are not stopped when one fails: an aborted request may still create its volume or
  // network after cleanup has listed the run's resources, and that would leak.
  const settled = await Promise.allSettled(parts.map((part, index) => part(input, labels, messages[index])));
  for (const message of messages.flat()) events.message(...message);
  const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
  if (!names.dockerSocket) {
    events.message(
      'warning',
      'The engine is not local: its socket is not mounted into steps, so `docker` commands inside steps cannot reach it',
    );
  }
}

type SetupPart = (input: RunSetupInput, labels: Record<string, string>, messages: Messages) => Promise<void>;

const fillWorkspace: SetupPart = async ({ runtime, names, contextDir, signal }, labels, messages) => {
  await runtime.createVolume(names.workspaceVolume, labels, signal);
  let packed;
  try {
    packed = await packContext({ contextDir, mode: 'acr-upload' });
  } catch (error) {
    throw new RunSetupError(
      `cannot read the context ${contextDir}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  await runtime.writeToVolume(names.workspaceVolume, '/', packed.stream, labels, signal);
  const report = await packed.report;
  for (const warning of report.warnings) messages.push(['warning', `context: ${warning}`]);
  messages.push([
    'info',
    `Copied the context ${contextDir} into the workspace volume ${names.workspaceVolume} (${report.files} files, ${report.totalBytes} bytes${report.ignoreFile ? `, ignore rules from ${report.ignoreFile}` : ''})`,
  ]);
};

const fillHome: SetupPart = async ({ runtime, names, registryLogins, signal }, labels, messages) => {
  await runtime.createVolume(names.homeVolume, labels, signal);
  const config = Buffer.from(homeDockerConfig(registryLogins));
  await runtime.writeToVolume(
    names.homeVolume,
    '/',
    tarOf([
      { name: '.docker', directory: true },
      { name: '.docker/config.json', content: config },
    ]),
    labels,
    signal,
  );
  if (registryLogins.length > 0) {
    messages.push([
      'info',
      `Registry logins available to steps: ${registryLogins.map((login) => login.serveraddress).join(', ')}`,
    ]);
  }
};

const createNetworks: SetupPart = async ({ runtime, names, signal }, labels, messages) => {
  for (const network of names.networks.create) {
    messages.push(['info', `Creating network ${network.name}${network.driver ? ` (driver ${network.driver})` : ''}`]);
    await runtime.createNetwork(
      network.name,
      { ...(network.driver ? { driver: network.driver } : {}), ipv6: network.ipv6, labels },
      signal,
    );
  }
};

const createTaskVolumes: SetupPart = async ({ runtime, names, task, signal }, labels, messages) => {
  for (const volume of task.volumes) {
    const dockerName = names.volumes.get(volume.name) ?? taskVolumeName(names.runId, volume.name);
    const files = decodeSecretFiles(volume);
    await runtime.createVolume(dockerName, labels, signal);
    await runtime.writeToVolume(dockerName, '/', tarOf(files), labels, signal);
    messages.push(['info', `Created volume ${volume.name} (${dockerName}) with ${files.length} secret file(s)`]);
  }
};
