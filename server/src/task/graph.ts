import { IMMEDIATE_WHEN, ROOT_STEP_ID, type Step, type Task } from './model';

/**
 * The step DAG as acb builds it (spec §5.1): walking steps in file order, `when: ["-"]` hangs a step
 * off the virtual root, an absent/empty `when` hangs it off the step written just before it, and
 * otherwise one edge per listed id. Only earlier ids can be named, so the graph has no cycles.
 *
 * Unlike acb, duplicate `when` entries are de-duplicated here: acb counts them twice in the in-degree
 * and the step never starts (edge case 9). The language server reports them as an error, and the
 * engine refuses such a task before starting, so this only matters for analysis.
 */
export interface TaskGraph {
  /** Parent step ids of each step id (ROOT_STEP_ID for roots). */
  parents: Map<string, string[]>;
  /** Child step ids of each step id, ROOT_STEP_ID included. */
  children: Map<string, string[]>;
  /** Steps grouped by depth: level 0 starts at once, level n after some step of level n-1. */
  levels: string[][];
}

/** Parents of a step per §5.1, given the step that precedes it in the file. */
export function dependenciesOf(step: Step, previous: Step | undefined): string[] {
  if (step.when.length === 1 && step.when[0] === IMMEDIATE_WHEN) {
    return [ROOT_STEP_ID];
  }
  if (step.when.length === 0) {
    return [previous ? previous.id : ROOT_STEP_ID];
  }
  return [...new Set(step.when)];
}

/**
 * Builds the graph of a task that passed validation. Unknown ids (which validation reports) are
 * skipped, so this never throws on bad input.
 */
export function buildTaskGraph(task: Task): TaskGraph {
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>([[ROOT_STEP_ID, []]]);
  const depth = new Map<string, number>([[ROOT_STEP_ID, -1]]);
  const levels: string[][] = [];
  task.steps.forEach((step, index) => {
    if (parents.has(step.id)) {
      return; // duplicate id: reported by validation; keep the first vertex, as acb does
    }
    const known = dependenciesOf(step, task.steps[index - 1]).filter((id) => depth.has(id) && id !== step.id);
    const stepParents = known.length > 0 ? known : [ROOT_STEP_ID];
    parents.set(step.id, stepParents);
    children.set(step.id, []);
    for (const parent of stepParents) {
      children.get(parent)?.push(step.id);
    }
    const level = Math.max(...stepParents.map((id) => depth.get(id) ?? -1)) + 1;
    depth.set(step.id, level);
    (levels[level] ??= []).push(step.id);
  });
  return { parents, children, levels };
}
