/**
 * How ACR turns a decoded step into container settings (spec §4.2, §5.6, §5.7, §5.10, §5.11).
 * Pure functions shared by the engine (what to run) and the language service (hover, dry-run plan).
 */
import { cleanPath } from './goPath';
import { DEFAULT_NETWORK_NAME, type NetworkDef, type Step, type Task, WORKSPACE_DIR } from './model';

/** Splits env entries on commas, as acb does for task and CLI env (so `LIST=a,b` yields `b`). */
export function splitEnvEntries(entries: readonly string[]): string[] {
  return entries.flatMap((entry) => entry.split(','));
}

function envKey(entry: string): string | undefined {
  const equals = entry.indexOf('=');
  return equals < 0 ? undefined : entry.slice(0, equals);
}

/**
 * The env a step container receives, after `HOME`, in Docker's order (§5.7): the step's own entries
 * verbatim (duplicates kept; Docker's last one wins), then every task/CLI entry whose key the step does
 * not define. CLI entries (`acb exec --env`) are added to the task's for keys the task lacks.
 */
export function mergeStepEnv(task: Task, step: Step, cliEnv: readonly string[] = []): string[] {
  const taskEnv = splitEnvEntries(task.env);
  const taskKeys = new Set(taskEnv.map(envKey));
  const inherited = [...taskEnv, ...splitEnvEntries(cliEnv).filter((entry) => !taskKeys.has(envKey(entry)))];
  const stepKeys = new Set(step.env.map(envKey));
  return [...step.env, ...inherited.filter((entry) => !stepKeys.has(envKey(entry)))];
}

/**
 * The `--workdir` ACR passes (§5.11): undefined when `disableWorkingDirectoryOverride` is set (the
 * image's WORKDIR applies); otherwise the step's, else the task's, directory joined onto /workspace
 * when relative, and cleaned (`../etc` → `/etc`).
 */
export function stepWorkingDirectory(task: Task, step: Step): string | undefined {
  if (step.disableWorkingDirectoryOverride) return undefined;
  const dir = step.workingDirectory || task.workingDirectory || '';
  if (dir === '') return WORKSPACE_DIR;
  return cleanPath(dir.startsWith('/') ? dir : `${WORKSPACE_DIR}/${dir}`);
}

/** §5.10: add `:latest` when the reference has neither `:` nor `@`, then drop duplicates (first wins). */
export function normalizePushImages(images: readonly string[]): string[] {
  const normalized = images.map((image) => (image.includes(':') || image.includes('@') ? image : `${image}:latest`));
  return [...new Set(normalized)];
}

export interface TaskNetworks {
  /** Networks to create at run start (and remove at the end). */
  create: NetworkDef[];
  /** The network every step without its own `network` joins; undefined → Docker's bridge, no flag. */
  defaultNetwork: string | undefined;
}

/**
 * §4.2: no networks listed → `acb_default_network` (bridge) is created and is the default (unless the
 * undocumented `isbuildtask`); listed → the last `isDefault: true` one, else none. A CLI `--network`
 * becomes an external default that is neither created nor removed.
 */
export function resolveTaskNetworks(task: Task, cliNetwork?: string): TaskNetworks {
  let networks: NetworkDef[] = task.networks;
  if (networks.length === 0 && !task.isBuildTask) {
    networks = [
      {
        name: DEFAULT_NETWORK_NAME,
        driver: 'bridge',
        ipv6: false,
        skipCreation: false,
        isDefault: true,
        span: { start: 0, end: 0 },
        entries: new Map(),
      },
    ];
  }
  if (cliNetwork) {
    networks = [
      ...networks,
      {
        name: cliNetwork,
        driver: 'external',
        ipv6: false,
        skipCreation: true,
        isDefault: true,
        span: { start: 0, end: 0 },
        entries: new Map(),
      },
    ];
  }
  const defaults = networks.filter((network) => network.isDefault);
  return {
    create: networks.filter((network) => !network.skipCreation),
    defaultNetwork: defaults.length > 0 ? defaults[defaults.length - 1].name : undefined,
  };
}

/** The network a cmd/build step's container joins: its own, else the task default (may be none). */
export function stepNetwork(step: Step, networks: TaskNetworks): string | undefined {
  return step.network || networks.defaultNetwork;
}
