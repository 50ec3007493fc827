/**
 * What each step will do, resolved before anything runs: the container of a cmd step (spec §5.6), the
 * build of a build step (§5.8) and the images of a push step (§5.10). Pure apart from shell-quote, so the
 * dry run prints exactly what a run would use.
 */
import * as posix from 'node:path/posix';

import { parseDockerBuildCommand, readBuildStringAsAcb } from '../../task/buildCommand';
import { HOME_DIR, type Step, type Task, WORKSPACE_DIR } from '../../task/model';
import {
  mergeStepEnv,
  normalizePushImages,
  stepNetwork,
  stepWorkingDirectory,
  type TaskNetworks,
} from '../../task/stepSettings';
import { type ContainerSpec, RUN_ID_LABEL, STEP_ID_LABEL } from '../ContainerRuntime';
import { splitShellWords } from '../shellWords';

export const DOCKER_SOCKET_IN_CONTAINER = '/var/run/docker.sock';

/** Names of what the run creates, and where step containers find them. */
export interface RunResourceNames {
  runId: string;
  workspaceVolume: string;
  homeVolume: string;
  /** The engine's socket path to bind into steps; undefined when the engine is remote. */
  dockerSocket?: string;
  /** Networks as the task names them (after the run-scoped renaming of the default network). */
  networks: TaskNetworks;
  /** Task volume name → the Docker volume created for it in this run. */
  volumes: ReadonlyMap<string, string>;
}

export interface StepEnvironment {
  /** The runner environment `$VAR` in cmd strings expands against (empty by default). */
  runnerEnv: Readonly<Record<string, string>>;
  /** `acb exec --env` entries. */
  cliEnv: readonly string[];
}

export type PlanResult<T> =
  ({ ok: true } & T & { warnings: string[] }) | { ok: false; error: string; warnings: string[] };

export function containerName(runId: string, stepId: string): string {
  return `acb_${runId}_${stepId}`;
}

export function runLabels(runId: string, stepId?: string): Record<string, string> {
  return stepId === undefined ? { [RUN_ID_LABEL]: runId } : { [RUN_ID_LABEL]: runId, [STEP_ID_LABEL]: stepId };
}

/** Networks where Docker's DNS answers for aliases (not the built-in ones). */
function isUserNetwork(network: string | undefined): network is string {
  return (
    network !== undefined &&
    !['bridge', 'host', 'none', 'default'].includes(network) &&
    !network.startsWith('container:')
  );
}

function variableWarnings(
  stepId: string,
  variables: readonly string[],
  runnerEnv: Readonly<Record<string, string>>,
): string[] {
  const unset = variables.filter((name) => runnerEnv[name] === undefined);
  if (unset.length === 0) return [];
  const list = unset.map((name) => `$${name}`).join(', ');
  return [
    `step ${stepId}: ${list} expanded to empty: in ACR the agent's shell expands it (use \`sh -c '…'\` to read the container's variables)`,
  ];
}

/** The container a cmd step runs, and the `docker run` line ACR would log for it. */
export function planCmdStep(
  task: Task,
  step: Step,
  names: RunResourceNames,
  environment: StepEnvironment,
): PlanResult<{ spec: ContainerSpec; command: string }> {
  const words = splitShellWords(step.cmd ?? '', environment.runnerEnv);
  const warnings = variableWarnings(step.id, words.variables, environment.runnerEnv);
  if (!words.ok) return { ok: false, error: `step ${step.id}: cmd: ${words.error}`, warnings };
  const [image, ...args] = words.words;
  if (image === undefined || image === '') return { ok: false, error: `step ${step.id}: cmd names no image`, warnings };
  let entrypoint: string[] | undefined;
  if (step.entryPoint) {
    const entry = splitShellWords(step.entryPoint, environment.runnerEnv);
    if (!entry.ok) return { ok: false, error: `step ${step.id}: entryPoint: ${entry.error}`, warnings };
    if (entry.words.length !== 1) {
      return {
        ok: false,
        error: `step ${step.id}: entryPoint must be a single word (docker --entrypoint takes one)`,
        warnings,
      };
    }
    entrypoint = entry.words;
  }
  const network = stepNetwork(step, names.networks);
  const binds = [`${names.workspaceVolume}:${WORKSPACE_DIR}`];
  if (names.dockerSocket) binds.push(`${names.dockerSocket}:${DOCKER_SOCKET_IN_CONTAINER}`);
  binds.push(`${names.homeVolume}:${HOME_DIR}`);
  for (const mount of step.volumeMounts)
    binds.push(`${names.volumes.get(mount.name) ?? mount.name}:${mount.mountPath}`);
  const env = [`HOME=${HOME_DIR}`, ...mergeStepEnv(task, step, environment.cliEnv)];
  const spec: ContainerSpec = {
    name: containerName(names.runId, step.id),
    image,
    args,
    env,
    privileged: step.privileged,
    networkAliases: isUserNetwork(network) ? [step.id] : [],
    ports: [...step.ports],
    expose: [...step.expose],
    binds,
    autoRemove: !step.keep,
    labels: runLabels(names.runId, step.id),
  };
  if (entrypoint) spec.entrypoint = entrypoint;
  const workingDir = stepWorkingDirectory(task, step);
  if (workingDir !== undefined) spec.workingDir = workingDir;
  if (step.user) spec.user = step.user;
  if (network) spec.network = network;
  if (step.cpus) spec.cpus = step.cpus;
  if (step.isolation) spec.isolation = step.isolation;
  return { ok: true, spec, command: dockerRunLine(spec, step), warnings };
}

/** A word as sh would need it written (single quotes only when needed), for the echoed command line. */
export function shellDisplayWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** ACR's `docker run` line (§5.6 flag order), with our resource names. */
export function dockerRunLine(spec: ContainerSpec, step: Step): string {
  const flags: string[] = ['docker', 'run'];
  if (spec.autoRemove) flags.push('--rm');
  if (step.detach) flags.push('--detach');
  for (const port of spec.ports) flags.push('-p', port);
  for (const exposed of spec.expose) flags.push('--expose', exposed);
  if (spec.privileged) flags.push('--privileged');
  if (spec.user) flags.push('--user', spec.user);
  if (spec.network) flags.push('--network', spec.network);
  if (spec.isolation) flags.push('--isolation', spec.isolation);
  if (spec.cpus) flags.push('--cpus', spec.cpus);
  if (spec.entrypoint) flags.push('--entrypoint', ...spec.entrypoint);
  flags.push('--name', spec.name);
  for (const bind of spec.binds) flags.push('--volume', bind);
  for (const entry of spec.env) flags.push('--env', entry);
  if (spec.workingDir) flags.push('--workdir', spec.workingDir);
  return `${flags.map(shellDisplayWord).join(' ')} ${step.cmd ?? ''}`.trimEnd();
}

export interface BuildPlan {
  /** Context directory and Dockerfile, as absolute paths in the step container (under /workspace). */
  contextDir: string;
  dockerfile: string;
  tags: string[];
  buildArgs: Record<string, string>;
  target?: string;
  platform?: string;
  labels: Record<string, string>;
  noCache: boolean;
  pull: boolean;
  /** acb's reading, for the dependency scan and records (§5.8, §10.3). */
  scan: { tags: string[]; buildArgs: string[]; target?: string };
  command: string;
}

const REMOTE_CONTEXT = /^(?:https?:\/\/|git@|git:\/\/|github\.com\/|oci:\/\/)|\.git(?:#.*)?$/;

/** A build step: Docker's reading of the string decides what is built; acb's what is recorded. */
export function planBuildStep(task: Task, step: Step, environment: StepEnvironment): PlanResult<{ build: BuildPlan }> {
  const warnings: string[] = [];
  const buildString = step.build ?? '';
  const docker = parseDockerBuildCommand(buildString);
  if (docker.errors.length > 0)
    return { ok: false, error: `step ${step.id}: build: ${docker.errors.join('; ')}`, warnings };
  for (const flag of docker.unsupported)
    warnings.push(`step ${step.id}: docker build flag ${flag} is not applied by the local engine`);
  if (REMOTE_CONTEXT.test(docker.context)) {
    return {
      ok: false,
      error: `step ${step.id}: the build context ${docker.context} is remote; local runs build only from the workspace (clone it in an earlier step)`,
      warnings,
    };
  }
  const env = mergeStepEnv(task, step);
  if (env.includes('DOCKER_BUILDKIT=1')) {
    warnings.push(
      `step ${step.id}: DOCKER_BUILDKIT=1 asks ACR for BuildKit; the local engine builds with the classic builder`,
    );
  }
  if (step.cache?.toLowerCase() === 'enabled') {
    warnings.push(
      `step ${step.id}: cache: enabled (ACR's BuildKit registry cache) is not reproduced; the engine's own build cache applies`,
    );
  }
  // The docker CLI in ACR's step container runs in the step's working directory (the image's own,
  // `/`, when the override is disabled); context and -f are relative to it.
  const workingDir = stepWorkingDirectory(task, step) ?? '/';
  const contextDir = posix.resolve(workingDir, docker.context);
  const dockerfile =
    docker.dockerfile === undefined
      ? posix.join(contextDir, 'Dockerfile')
      : posix.resolve(workingDir, docker.dockerfile);
  for (const [label, path] of [
    ['context', contextDir],
    ['Dockerfile', dockerfile],
  ] as const) {
    if (path !== WORKSPACE_DIR && !path.startsWith(`${WORKSPACE_DIR}/`)) {
      return {
        ok: false,
        error: `step ${step.id}: the build ${label} ${path} is outside ${WORKSPACE_DIR}; local builds read it from the run's workspace`,
        warnings,
      };
    }
  }
  const buildArgs: Record<string, string> = {};
  for (const [key, value] of docker.buildArgs) {
    // `--build-arg NAME` takes NAME from the environment of ACR's docker CLI: the runner's, empty here.
    const resolved = value ?? environment.runnerEnv[key];
    if (resolved !== undefined) buildArgs[key] = resolved;
  }
  const acb = readBuildStringAsAcb(buildString);
  const build: BuildPlan = {
    contextDir,
    dockerfile,
    tags: docker.tags,
    buildArgs,
    labels: Object.fromEntries(docker.labels),
    noCache: docker.noCache,
    pull: docker.pull,
    scan: { tags: step.tags ?? acb.tags, buildArgs: acb.buildArgs.map((arg) => arg.replace(/^["']|["']$/g, '')) },
    command: `docker build ${buildString}`.trimEnd(),
  };
  if (docker.target !== undefined) build.target = docker.target;
  if (docker.platform !== undefined) build.platform = docker.platform;
  if (acb.target !== undefined) build.scan.target = acb.target;
  return { ok: true, build, warnings };
}

export function planPushStep(step: Step): { images: string[]; command: string } {
  const images = normalizePushImages(step.push ?? []);
  return { images, command: images.map((image) => `docker push ${image}`).join('\n') };
}
