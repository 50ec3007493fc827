/** The watcher's tasks and the state of each trigger, as the Tasks view and `task list` show them. */
import { resolve } from 'node:path';

import type { RunStatus, TaskTriggerState } from '../../protocol';
import type { TaskDefinition } from '../../task/definitions/model';
import type { TaskBaseImageState } from '../../task/triggers/baseImageTriggers';
import { observationKey } from './baseImageProbe';
import type { CommitTracker } from './CommitTracker';
import type { DefinitionsFile } from './definitionsFile';
import type { ScheduleTimers } from './ScheduleTimers';
import type { RunRecord } from '../runStore/RunStore';
import { contextOf } from './taskLauncher';
import { baseImageStates } from './watcherState';

export const NEEDS_FIRST_RUN_MESSAGE =
  'runs once before it can be triggered: as in ACR, base images are discovered while building';

export interface TriggerStateInputs {
  definitions: DefinitionsFile | undefined;
  baseStates: ReadonlyMap<string, TaskBaseImageState>;
  observationErrors: ReadonlyMap<string, string>;
  commits?: CommitTracker;
  timers?: ScheduleTimers;
  active: ReadonlyMap<string, string | undefined>;
  lastRuns: ReadonlyMap<string, LastRun>;
}

/** A task's newest run, as the Tasks view and `task list` show it. */
export interface LastRun {
  runId: string;
  status: RunStatus;
  startedAt: string;
  trigger: string;
}

/** Each task's newest run, from the runs of each task newest first (watcherState.ts runsByTask). */
export function lastRunsOf(history: ReadonlyMap<string, readonly RunRecord[]>): Map<string, LastRun> {
  const lastRuns = new Map<string, LastRun>();
  for (const [task, [newest]] of history) {
    if (newest)
      lastRuns.set(task, {
        runId: newest.id,
        status: newest.status,
        startedAt: newest.startedAt,
        trigger: newest.trigger,
      });
  }
  return lastRuns;
}

/**
 * The tasks' trigger states from the run history alone, where no watcher runs (`task list`, the
 * Tasks view with triggers off): no live checks, nothing active.
 */
export function historyTriggerStates(
  definitions: DefinitionsFile,
  history: ReadonlyMap<string, RunRecord[]>,
): TaskTriggerState[] {
  return triggerStates({
    definitions,
    baseStates: baseImageStates(definitions.parsed.tasks, history, []),
    observationErrors: new Map(),
    active: new Map(),
    lastRuns: lastRunsOf(history),
  });
}

function baseImageState(
  task: TaskDefinition,
  state: TaskBaseImageState | undefined,
  errors: ReadonlyMap<string, string>,
): TaskTriggerState['baseImage'] {
  const { enabled, type } = task.triggers.baseImage;
  const bases = (state?.bases ?? []).map((base) => {
    const error = errors.get(observationKey(base.reference, base.identity.source));
    return { ...base, identity: { ...base.identity }, ...(error === undefined ? {} : { error }) };
  });
  if (!enabled || task.status === 'Disabled')
    return { enabled, type, state: 'disabled', message: 'base-image trigger disabled', bases };
  if (!state || state.fromRunId === undefined)
    return { enabled, type, state: 'needsFirstRun', message: NEEDS_FIRST_RUN_MESSAGE, bases };
  const watched = type === 'All' ? bases : bases.filter((base) => base.dependency === 'runtime');
  if (watched.length === 0) {
    const why = state.untracked.length > 0 ? ` (${state.untracked.join(', ')} cannot be tracked)` : '';
    return {
      enabled,
      type,
      state: 'noBaseImages',
      message: `run ${state.fromRunId} built no trackable ${type === 'All' ? '' : 'runtime '}base image${why}`,
      bases,
    };
  }
  return {
    enabled,
    type,
    state: 'watching',
    message: `watching ${watched.map((base) => base.reference).join(', ')} (from run ${state.fromRunId})`,
    bases,
  };
}

export function triggerStates(inputs: TriggerStateInputs): TaskTriggerState[] {
  const definitions = inputs.definitions;
  if (!definitions) return [];
  return definitions.parsed.tasks.map((task) => {
    const context = contextOf(task, definitions.path);
    const commit = inputs.commits?.state(task.name) ?? {
      enabled: task.triggers.commit.enabled,
      state: task.triggers.commit.enabled ? ('inactive' as const) : ('disabled' as const),
      message: task.triggers.commit.enabled ? 'checked while a watcher runs' : 'commit trigger disabled',
      ...(task.triggers.commit.branch ? { branch: task.triggers.commit.branch } : {}),
    };
    const running = inputs.active.get(task.name);
    const lastRun = inputs.lastRuns.get(task.name);
    const state: TaskTriggerState = {
      task: task.name,
      definitionsFile: definitions.path,
      file: resolve(context, task.file),
      kind: task.kind,
      context,
      status: task.status,
      baseImage: baseImageState(task, inputs.baseStates.get(task.name), inputs.observationErrors),
      commit: { ...commit },
      schedules: task.triggers.schedules.map((schedule) => {
        const next = inputs.timers?.next(task.name, schedule.name);
        return { name: schedule.name, cron: schedule.cron, ...(next ? { next: next.toISOString() } : {}) };
      }),
    };
    if (running !== undefined) state.running = running;
    if (lastRun) state.lastRun = lastRun;
    return state;
  });
}
