/**
 * Running part of a task (the editor's "Run Step" and "Run to Here"): the step DAG cut down before
 * scheduling. `upTo` keeps a step and everything it transitively waits for, with their edges; `only`
 * keeps the step alone as a root. Steps outside the selection never start and are not reported, so the
 * run's plan lists exactly what runs.
 */
import type { StepSelection } from '../../protocol';
import type { TaskGraph } from '../../task/graph';
import { ROOT_STEP_ID } from '../../task/model';

/** The selected sub-graph; throws when the step is not in the graph. */
export function selectSteps(graph: TaskGraph, selection: StepSelection): TaskGraph {
  if (!graph.parents.has(selection.stepId)) throw new Error(`the task has no step ${JSON.stringify(selection.stepId)}`);
  const keep = new Set<string>([selection.stepId]);
  if (selection.mode === 'upTo') {
    const pending = [selection.stepId];
    for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
      for (const parent of graph.parents.get(id) ?? []) {
        if (parent !== ROOT_STEP_ID && !keep.has(parent)) {
          keep.add(parent);
          pending.push(parent);
        }
      }
    }
  }
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>([[ROOT_STEP_ID, []]]);
  for (const [id, stepParents] of graph.parents) {
    if (!keep.has(id)) continue;
    const kept = selection.mode === 'only' ? [] : stepParents.filter((parent) => keep.has(parent));
    const finalParents = kept.length > 0 ? kept : [ROOT_STEP_ID];
    parents.set(id, finalParents);
    children.set(id, children.get(id) ?? []);
    for (const parent of finalParents) (children.get(parent) ?? children.set(parent, []).get(parent)!).push(id);
  }
  // Levels again, since dropped parents can move a step up (parents come before children in the map).
  const depth = new Map<string, number>([[ROOT_STEP_ID, -1]]);
  const levels: string[][] = [];
  for (const [id, stepParents] of parents) {
    const level = Math.max(...stepParents.map((parent) => depth.get(parent) ?? -1)) + 1;
    depth.set(id, level);
    (levels[level] ??= []).push(id);
  }
  return { parents, children, levels };
}
