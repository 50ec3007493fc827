/**
 * Task definitions: the local counterpart of `az acr task create` (spec §10.1). A workspace file
 * ({@link DEFINITIONS_FILE_NAME}) names tasks — a task file, or a Dockerfile with image names — with
 * their context, values, `--set` values, timeout and triggers (commit, base-image update, cron timers).
 */
import type { Span } from '../model';

/** The definitions file, looked up in the folder the CLI runs in (and each workspace folder). */
export const DEFINITIONS_FILE_NAME = '.acr-tasks.yaml';
export const DEFINITIONS_VERSION = 'v1';

/** ACR's defaults for `az acr task create` (§10.1). */
export const DEFAULT_TASK_TIMEOUT_SECONDS = 3600;
export const DEFAULT_BASE_IMAGE_TRIGGER_TYPE: BaseImageTriggerType = 'Runtime';
/** The branch ACR tracks when the context URL names none (§10.1). */
export const DEFAULT_COMMIT_BRANCH = 'master';

export type BaseImageTriggerType = 'Runtime' | 'All';
export const BASE_IMAGE_TRIGGER_TYPES: readonly BaseImageTriggerType[] = ['Runtime', 'All'];
export type TaskStatus = 'Enabled' | 'Disabled';
export const TASK_STATUSES: readonly TaskStatus[] = ['Enabled', 'Disabled'];

/** `-f` extensions az treats as a task file; any other name is a Dockerfile (§10.1). */
const TASK_FILE_EXTENSIONS = [
  '.yaml', '.yml', '.toml', '.json', '.sh', '.bash', '.zsh', '.ps1', '.ps', '.cmd', '.bat', '.ts', '.js', '.php',
  '.py', '.rb', '.lua',
]; // prettier-ignore

/** True when az would take `file` as a task file (by extension); false → a Dockerfile. */
export function isTaskFilePath(file: string): boolean {
  const lower = file.toLowerCase();
  return TASK_FILE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/** A named cron timer (`--schedule "[name:]cron"`), 5 fields, UTC. */
export interface ScheduleDefinition {
  name: string;
  cron: string;
}

export interface TaskTriggers {
  commit: { enabled: boolean; /** undefined → the branch checked out in the context's repository. */ branch?: string };
  baseImage: { enabled: boolean; type: BaseImageTriggerType };
  schedules: ScheduleDefinition[];
}

/** One task of the definitions file, with defaults applied. Paths are as written. */
export interface TaskDefinition {
  name: string;
  /** Task file or Dockerfile, relative to the context (as `az acr task create -f`). */
  file: string;
  kind: 'taskFile' | 'dockerfile';
  /** Context folder, relative to the definitions file's folder; default `.`. */
  context: string;
  /** Image names of a Dockerfile task (`--image`), prefixed with the registry as az does. */
  images: string[];
  registry?: string;
  /** Values file, relative to the context (§6.3). */
  values?: string;
  /** `--set` values in the order written (`KEY=VALUE`). */
  set: string[];
  timeoutSeconds: number;
  status: TaskStatus;
  triggers: TaskTriggers;
  /** Where the task's entry is in the definitions file (its name key). */
  span: Span;
}

/** Default triggers of a new task (§10.1): commit and base-image triggers on, no timers. */
export function defaultTriggers(): TaskTriggers {
  return {
    commit: { enabled: true },
    baseImage: { enabled: true, type: DEFAULT_BASE_IMAGE_TRIGGER_TYPE },
    schedules: [],
  };
}

/** Task names: letters, digits, `-` and `_`, starting with a letter or digit, at most 50 characters. */
export const TASK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;
/** Timer names follow the same rule as task names. */
export const SCHEDULE_NAME_PATTERN = TASK_NAME_PATTERN;
