/**
 * acb's scheduling (spec §5.2–§5.3): every root starts at once; when a step finishes successfully (or
 * fails with `ignoreErrors`) each child's in-degree drops, and children reaching zero start immediately —
 * no concurrency limit. The first real failure stops the run: nothing new starts, and the steps still
 * running are cancelled through the signal they were given. Cancelling from outside does the same.
 */
import type { TaskGraph } from '../../task/graph';
import { ROOT_STEP_ID } from '../../task/model';

/** What a step's execution tells the scheduler. */
export type StepVerdict = 'continue' | 'stop';

export interface ScheduleResult {
  /** Ids in the order they were started. */
  started: string[];
  /** The step whose failure stopped the run, if any. */
  failedStep?: string;
}

/**
 * Runs the graph. `execute` must not reject: it resolves `continue` when dependents may start and
 * `stop` when the run must stop (a failure without ignoreErrors). A rejection is treated as `stop`.
 */
export function scheduleGraph(
  graph: TaskGraph,
  execute: (stepId: string, signal: AbortSignal) => Promise<StepVerdict>,
  signal: AbortSignal,
): Promise<ScheduleResult> {
  const stopOnFailure = new AbortController();
  const stepSignal = AbortSignal.any([signal, stopOnFailure.signal]);
  const inDegree = new Map<string, number>();
  for (const [stepId, parents] of graph.parents) {
    inDegree.set(stepId, parents.filter((parent) => parent !== ROOT_STEP_ID).length);
  }
  const result: ScheduleResult = { started: [] };
  let running = 0;

  return new Promise((resolve) => {
    const finishIfIdle = () => {
      if (running === 0) resolve(result);
    };
    const start = (stepId: string) => {
      if (stepSignal.aborted) return;
      running++;
      result.started.push(stepId);
      execute(stepId, stepSignal)
        .catch((): StepVerdict => 'stop')
        .then((verdict) => {
          running--;
          if (verdict === 'stop') {
            result.failedStep ??= stepId;
            stopOnFailure.abort();
          } else {
            for (const child of graph.children.get(stepId) ?? []) {
              const remaining = (inDegree.get(child) ?? 0) - 1;
              inDegree.set(child, remaining);
              if (remaining === 0) start(child);
            }
          }
          finishIfIdle();
        })
        .catch(() => undefined);
    };
    for (const root of graph.children.get(ROOT_STEP_ID) ?? []) start(root);
    finishIfIdle();
  });
}
