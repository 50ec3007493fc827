/**
 * The two workloads of issue 3, each written twice: as a task file for our engine and as the
 * equivalent `docker run` shell script for the docker CLI.
 *
 * (a) `chain`: N trivial steps, each waiting for the previous one (no `when`, as ACR reads it).
 * (b) `dag`: B branches of S `sleep 1` steps; the first step of each branch has `when: ["-"]`, the
 *     others follow the step above them, so the branches run side by side.
 */

/** The base image every step uses; made locally from busybox-static (nothing is pulled). */
export const IMAGE = 'acrtest/busybox:1';

export interface Scenario {
  /** Short name used in the tables. */
  name: string;
  taskText: string;
  /** The same containers, one after another, through the docker CLI (POSIX sh). */
  cliScript: string;
  /** The container commands, in file order (for the bare API floor). */
  commands: string[][];
  /** The step ids, in file order (container names in the ACR command-line script). */
  stepIds: string[];
  /** How long the steps' own work takes when run as the DAG allows (ideal wall time), in ms. */
  idealDagMs: number;
}

/** `label` (`key=value`) only for the profile, which finds the containers' engine events by label. */
export function cliScriptOf(commands: readonly string[][], label?: string): string {
  const flags = label ? `--rm --label ${label}` : '--rm';
  // `set -e`: a failing container must fail the sample, not be timed as a success.
  return ['set -e', ...commands.map((args) => `docker run ${flags} ${IMAGE} ${args.join(' ')}`)].join('\n');
}

/**
 * The same containers one after another as ACR's runner starts them (spec §5.6): a run network created
 * first, `--name <id>` on it, the workspace and home volumes, the docker socket when the engine is local,
 * `HOME` and the working directory — everything ACR's semantics put on a step container, by hand.
 * `suffix` makes the names unique per sample; the script removes the network and volumes at its end.
 */
export function acrCliScriptOf(scenario: Scenario, suffix: string, socketPath: string | undefined): string {
  const network = `acb_default_network_${suffix}`;
  const workspace = `${suffix}_workspace`;
  const home = `${suffix}_home`;
  const socket = socketPath ? ` --volume ${socketPath}:/var/run/docker.sock` : '';
  const runs = scenario.commands.map(
    (args, index) =>
      `docker run --rm --network ${network} --name ${scenario.stepIds[index]}_${suffix} --volume ${workspace}:/workspace` +
      `${socket} --volume ${home}:/acb/home --env HOME=/acb/home --workdir /workspace ${IMAGE} ${args.join(' ')}`,
  );
  return [
    'set -e',
    `docker network create ${network} >/dev/null`,
    `docker volume create ${workspace} >/dev/null`,
    `docker volume create ${home} >/dev/null`,
    `trap 'docker network rm ${network} >/dev/null; docker volume rm ${workspace} ${home} >/dev/null' EXIT`,
    ...runs,
  ].join('\n');
}

/** (a) `steps` trivial `true` steps in a chain. */
export function chainScenario(steps: number): Scenario {
  const lines = ['version: v1.1.0', 'steps:'];
  for (let index = 1; index <= steps; index++) {
    lines.push(`  - id: s${index}`, `    cmd: ${IMAGE} true`);
  }
  const commands = Array.from({ length: steps }, () => ['true']);
  return {
    name: `chain of ${steps} \`true\` steps`,
    taskText: `${lines.join('\n')}\n`,
    cliScript: cliScriptOf(commands),
    commands,
    stepIds: Array.from({ length: steps }, (_, index) => `s${index + 1}`),
    idealDagMs: 0,
  };
}

/** (b) `branches` × `depth` steps of `sleep seconds`. */
export function dagScenario(branches: number, depth: number, seconds: number): Scenario {
  const lines = ['version: v1.1.0', 'steps:'];
  const commands: string[][] = [];
  const stepIds: string[] = [];
  for (let branch = 0; branch < branches; branch++) {
    const letter = String.fromCharCode('a'.charCodeAt(0) + branch);
    for (let level = 1; level <= depth; level++) {
      lines.push(`  - id: ${letter}${level}`, `    cmd: ${IMAGE} sleep ${seconds}`);
      if (level === 1) lines.push('    when: ["-"]');
      commands.push(['sleep', String(seconds)]);
      stepIds.push(`${letter}${level}`);
    }
  }
  return {
    name: `${branches} branches × ${depth} steps of \`sleep ${seconds}\``,
    taskText: `${lines.join('\n')}\n`,
    cliScript: cliScriptOf(commands),
    commands,
    stepIds,
    idealDagMs: depth * seconds * 1000,
  };
}
