/**
 * Task definitions and their triggers (the definitions file `.acr-tasks.yaml`, the trigger watcher): the
 * types shared by the engine, the CLI and the client. protocol.ts re-exports them; import from there.
 */
import type { ImageIdentityJson, RunStatus } from './protocol';

/** What a watcher reports as it goes (the CLI prints these; the editor shows them). */
export type WatcherEvent =
  | { type: 'started'; definitionsFile: string; tasks: number; pollSeconds: number }
  | { type: 'definitionsProblems'; definitionsFile: string; problems: string[] }
  | { type: 'triggered'; task: string; trigger: string; reason: string; queued: boolean }
  | { type: 'runStarted'; task: string; runId: string; trigger: string; reason: string }
  | {
      type: 'runFinished';
      task: string;
      runId: string;
      trigger: string;
      status: Exclude<RunStatus, 'running'>;
      reason: string;
      error?: string;
    }
  | { type: 'runNotStarted'; task: string; trigger: string; error: string }
  | { type: 'loopStopped'; task: string; reference: string; chain: string[] }
  | { type: 'problem'; key: string; message: string }
  | { type: 'recovered'; key: string; message: string }
  | { type: 'stopping'; running: number; mode: 'finish' | 'cancel' }
  | { type: 'stopped' };

export type BaseImageTriggerStateKind = 'disabled' | 'needsFirstRun' | 'noBaseImages' | 'watching';
export type CommitTriggerStateKind = 'disabled' | 'watching' | 'inactive';

/** One task of a definitions file with the state of each of its triggers, for the Tasks view. */
export interface TaskTriggerState {
  task: string;
  definitionsFile: string;
  /** Absolute task file or Dockerfile. */
  file: string;
  kind: 'taskFile' | 'dockerfile';
  /** Absolute context folder. */
  context: string;
  status: 'Enabled' | 'Disabled';
  /** Id of the run in progress. */
  running?: string;
  lastRun?: { runId: string; status: RunStatus; startedAt: string; trigger: string };
  baseImage: {
    enabled: boolean;
    type: 'Runtime' | 'All';
    state: BaseImageTriggerStateKind;
    /** e.g. "runs once before it can be triggered: ACR discovers base images while building". */
    message: string;
    bases: {
      reference: string;
      dependency: 'runtime' | 'buildtime';
      identity: ImageIdentityJson;
      /** Why the last check could not read it. */
      error?: string;
    }[];
  };
  commit: { enabled: boolean; branch?: string; state: CommitTriggerStateKind; head?: string; message: string };
  schedules: { name: string; cron: string; /** ISO time of the next fire while watching. */ next?: string }[];
}

export interface TriggerStateResult {
  /** One entry per definitions file (workspace folder) found. */
  files: {
    definitionsFile: string;
    /** True while a watcher runs triggers for this file. */
    watching: boolean;
    tasks: TaskTriggerState[];
    /** Errors in the definitions file (tasks with errors are left out). */
    problems: string[];
  }[];
}

/** The definitions file's name (the same as the task layer's DEFINITIONS_FILE_NAME; a unit test checks). */
export const TASK_DEFINITIONS_FILE_NAME = '.acr-tasks.yaml';

/**
 * Notification (client → server): whether the workspace is trusted. Triggers start containers from the
 * workspace's definitions without a user action, so the server watches nothing until the client says
 * the workspace is trusted.
 */
export const WORKSPACE_TRUST_NOTIFICATION = 'acrTasks/workspaceTrust';
export interface WorkspaceTrustParams {
  trusted: boolean;
}

/** Request: the defined tasks and their trigger state. */
export const TRIGGER_STATE_REQUEST = 'acrTasks/triggerState';
/** Notification (server → client): the trigger state changed; ask again. */
export const TRIGGER_STATE_CHANGED_NOTIFICATION = 'acrTasks/triggerStateChanged';
/** Notification (server → client): one {@link WatcherEvent} (triggered runs starting and finishing, problems). */
export const WATCHER_EVENT_NOTIFICATION = 'acrTasks/watcherEvent';

/** Request: run a defined task now (`task run`); resolves with the run id. Its events come as run events. */
export const RUN_DEFINED_TASK_REQUEST = 'acrTasks/runDefinedTask';
export interface RunDefinedTaskParams {
  definitionsFile: string;
  task: string;
  set?: string[];
}
