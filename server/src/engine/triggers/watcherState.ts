/**
 * The watcher's view of the run history: the runs of each defined task (newest first), what each
 * task's base-image trigger watches, and the images our runs produced — all derived from the run store,
 * so a watcher that restarts picks up where the history says, and runs started elsewhere (`task run`
 * in another terminal) count too.
 */
import type { RunTriggerDetails } from '../../protocol';
import type { TaskDefinition } from '../../task/definitions/model';
import {
  acknowledge,
  baseImageStateFromHistory,
  producedImagesOf,
  type ProducedImage,
  type TaskBaseImageState,
  type TaskRunHistoryItem,
} from '../../task/triggers/baseImageTriggers';
import type { BaseImageChange } from '../../task/triggers/triggerCause';
import type { RunRecord } from '../runStore/RunStore';

/** A change taken as a task's baseline without a recorded run yet (a stopped loop, a run being started). */
export interface Acknowledgement {
  task: string;
  changes: BaseImageChange[];
  /** When it was taken (ms); a successful run started later replaces it. */
  at: number;
}

export function historyItem(record: RunRecord): TaskRunHistoryItem {
  return {
    runId: record.id,
    status: record.status,
    startedAt: record.startedAt,
    dependencies: record.dependencies,
    ...(record.imageIds ? { imageIds: record.imageIds } : {}),
    ...(record.origin ? { cause: record.origin.cause } : {}),
  };
}

/** Runs of each task of one definitions file, newest first. */
export function runsByTask(records: readonly RunRecord[], definitionsFile: string): Map<string, RunRecord[]> {
  const byTask = new Map<string, RunRecord[]>();
  const sorted = [...records].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  for (const record of sorted) {
    if (record.origin?.definitionsFile !== definitionsFile) continue;
    const list = byTask.get(record.origin.task) ?? [];
    list.push(record);
    byTask.set(record.origin.task, list);
  }
  return byTask;
}

function chainOf(cause: RunTriggerDetails | undefined): string[] {
  return cause?.kind === 'baseImage' ? cause.chain : [];
}

/** Base-image trigger state of every task, with acknowledgements newer than the run it comes from. */
export function baseImageStates(
  tasks: readonly TaskDefinition[],
  history: ReadonlyMap<string, RunRecord[]>,
  acknowledgements: readonly Acknowledgement[],
): Map<string, TaskBaseImageState> {
  const states = new Map<string, TaskBaseImageState>();
  for (const task of tasks) {
    const runs = history.get(task.name) ?? [];
    const state = baseImageStateFromHistory(
      task.name,
      { enabled: task.status === 'Enabled' && task.triggers.baseImage.enabled, type: task.triggers.baseImage.type },
      runs.map(historyItem),
    );
    const source = runs.find((run) => run.id === state.fromRunId);
    const since = source ? Date.parse(source.startedAt) : -Infinity;
    for (const ack of acknowledgements) if (ack.task === task.name && ack.at >= since) acknowledge(state, ack.changes);
    states.set(task.name, state);
  }
  return states;
}

/** Images the successful runs of these tasks produced, oldest first, with the chains of those runs. */
export function producedImages(history: ReadonlyMap<string, RunRecord[]>): ProducedImage[] {
  const produced: { at: string; images: ProducedImage[] }[] = [];
  for (const [task, runs] of history) {
    for (const run of runs) {
      if (run.status !== 'succeeded') continue;
      produced.push({
        at: run.startedAt,
        images: producedImagesOf(task, historyItem(run), chainOf(run.origin?.cause)),
      });
    }
  }
  return produced.sort((a, b) => a.at.localeCompare(b.at)).flatMap((entry) => entry.images);
}
