/**
 * Turns one profiled run (Engine API calls, run events, the engine's container events) into the two
 * tables of the profile: the calls of each phase, and one step's life as a chain of moments whose
 * gaps add up to the step's whole cycle (step started → next step started).
 */
import type { PlannedStep, RunEvent } from '../../server/src/protocol';
import type { CallRecord, ContainerEvent } from './profile';
import { median } from './stats';

export interface RunTrace {
  runId: string;
  /** runTask called / resolved (performance.now() ms). */
  start: number;
  end: number;
  events: { event: RunEvent; at: number }[];
  calls: CallRecord[];
  containers: ContainerEvent[];
}

export type Phase = 'setup' | 'steps' | 'cleanup';

export interface PhaseRow {
  phase: Phase;
  /** Wall time of the phase (median over runs). */
  wallMs: number;
  /** Time inside at least one Engine API call (answer awaited, or a response stream still open). */
  inCallsMs: number;
  /** Per operation: calls per run and median total ms per run spent in them. */
  operations: { operation: string; count: number; totalMs: number }[];
}

interface PhaseBounds {
  setup: [number, number];
  steps: [number, number];
  cleanup: [number, number];
}

function boundsOf(trace: RunTrace): PhaseBounds {
  const starts = trace.events.filter((e) => e.event.type === 'stepStarted').map((e) => e.at);
  const ends = trace.events.filter((e) => e.event.type === 'stepFinished').map((e) => e.at);
  const firstStart = Math.min(...starts);
  const lastEnd = Math.max(...ends);
  return { setup: [trace.start, firstStart], steps: [firstStart, lastEnd], cleanup: [lastEnd, trace.end] };
}

/** Length of the union of [start, end] intervals clipped to `bounds`. */
function coveredMs(intervals: readonly [number, number][], bounds: [number, number]): number {
  const clipped = intervals
    .map(([a, b]): [number, number] => [Math.max(a, bounds[0]), Math.min(b, bounds[1])])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let reach = -Infinity;
  for (const [a, b] of clipped) {
    if (b <= reach) continue;
    total += b - Math.max(a, reach);
    reach = b;
  }
  return total;
}

/** Calls of each phase, medians over the traces given (same scenario). */
export function phaseRows(traces: readonly RunTrace[]): PhaseRow[] {
  return (['setup', 'steps', 'cleanup'] as const).map((phase) => {
    const perRun = traces.map((trace) => {
      const bounds = boundsOf(trace)[phase];
      const calls = trace.calls.filter((call) => call.start >= bounds[0] && call.start < bounds[1]);
      const byOperation = new Map<string, { count: number; totalMs: number }>();
      for (const call of calls) {
        const entry = byOperation.get(call.operation) ?? { count: 0, totalMs: 0 };
        entry.count++;
        entry.totalMs += (call.end ?? bounds[1]) - call.start;
        byOperation.set(call.operation, entry);
      }
      return {
        wallMs: bounds[1] - bounds[0],
        // A stream (attach, wait) is waiting on the engine until it ends, not only until it began.
        inCallsMs: coveredMs(
          calls.map((call) => [call.start, call.streamEnd ?? call.end ?? bounds[1]]),
          bounds,
        ),
        byOperation,
      };
    });
    const operations = [...new Set(perRun.flatMap((run) => [...run.byOperation.keys()]))].map((operation) => ({
      operation,
      count: median(perRun.map((run) => run.byOperation.get(operation)?.count ?? 0)),
      totalMs: median(perRun.map((run) => run.byOperation.get(operation)?.totalMs ?? 0)),
    }));
    return {
      phase,
      wallMs: median(perRun.map((run) => run.wallMs)),
      inCallsMs: median(perRun.map((run) => run.inCallsMs)),
      operations: operations.sort((a, b) => b.totalMs - a.totalMs),
    };
  });
}

export interface StepMoment {
  /** What happened at this moment. */
  label: string;
  /** Median time from the previous moment to this one. */
  gapMs: number;
  /** Median duration of the Engine API call that ends at this moment, when it is one. */
  callMs?: number;
  /** How many steps had this moment (all, normally). */
  seen: number;
}

type Moment = { label: string; at: number | undefined; call?: CallRecord };

/** The moments of one step, in the order they normally happen. */
function momentsOfStep(trace: RunTrace, step: PlannedStep, steps: readonly PlannedStep[]): Moment[] {
  const atOf = (type: RunEvent['type'], stepId: string) =>
    trace.events.find((e) => e.event.type === type && 'stepId' in e.event && e.event.stepId === stepId)?.at;
  const started = atOf('stepStarted', step.id);
  const finished = atOf('stepFinished', step.id);
  const name = `acb_${trace.runId}_${step.id}`;
  const inStep = (call: CallRecord) =>
    started !== undefined && finished !== undefined && call.start >= started && call.start <= finished;
  const remove = trace.calls.find(
    (call) => inStep(call) && call.operation === 'remove container' && call.path === `/containers/${name}`,
  );
  // The image check follows the removal at once; with steps in parallel, the nearest one after it is ours.
  const inspect = remove?.end
    ? trace.calls
        .filter((call) => inStep(call) && call.operation === 'inspect image' && call.start >= remove.end! - 0.01)
        .sort((a, b) => a.start - b.start)[0]
    : undefined;
  const create = trace.calls.find((call) => call.operation === 'create container' && call.name === name);
  const id = create?.createdId;
  const callOn = (operation: string) =>
    id ? trace.calls.find((call) => call.operation === operation && call.path.includes(id)) : undefined;
  const attach = callOn('attach container');
  const wait = callOn('wait for container');
  const start = callOn('start container');
  const engineAt = (action: string) =>
    trace.containers.find((event) => event.container === name && event.action === action)?.at;
  const child = steps.find((other) => other.dependsOn.includes(step.id));
  return [
    { label: 'step started (stepStarted event)', at: started },
    { label: 'our old container removed (DELETE, absent)', at: remove?.end, ...(remove ? { call: remove } : {}) },
    { label: 'image inspected', at: inspect?.end, ...(inspect ? { call: inspect } : {}) },
    { label: 'container created', at: create?.end, ...(create ? { call: create } : {}) },
    { label: 'attach stream open', at: attach?.end, ...(attach ? { call: attach } : {}) },
    { label: 'wait stream open', at: wait?.end, ...(wait ? { call: wait } : {}) },
    { label: 'engine: container started', at: engineAt('start') },
    { label: 'start request answered', at: start?.end, ...(start ? { call: start } : {}) },
    { label: 'engine: container exited (die)', at: engineAt('die') },
    // The engine's removal (AutoRemove) goes on beside the dependent step; see the lifetimes table.
    { label: 'wait answered (next-exit)', at: wait?.streamEnd },
    { label: 'step finished (stepFinished event)', at: finished },
    { label: 'dependent step started', at: child ? atOf('stepStarted', child.id) : undefined },
  ];
}

/** One step's life, medians over every step (that has a dependent) of every trace. */
export function stepMoments(traces: readonly RunTrace[]): StepMoment[] {
  const perStep: Moment[][] = [];
  for (const trace of traces) {
    const planned = trace.events.find((e) => e.event.type === 'runStarted')?.event;
    const steps = planned?.type === 'runStarted' ? planned.steps : [];
    for (const step of steps) {
      if (steps.some((other) => other.dependsOn.includes(step.id))) perStep.push(momentsOfStep(trace, step, steps));
    }
  }
  const labels = perStep[0]?.map((moment) => moment.label) ?? [];
  return labels.map((label, index) => {
    const gaps: number[] = [];
    const calls: number[] = [];
    for (const moments of perStep) {
      const here = moments[index];
      if (here.call?.end !== undefined) calls.push(here.call.end - here.call.start);
      // The gap from the latest earlier moment that was seen (a missing moment must not swallow time).
      const previous = moments
        .slice(0, index)
        .reverse()
        .find((moment) => moment.at !== undefined);
      if (here.at !== undefined && previous?.at !== undefined) gaps.push(here.at - previous.at);
    }
    return {
      label,
      gapMs: index === 0 ? 0 : median(gaps),
      ...(calls.length > 0 ? { callMs: median(calls) } : {}),
      seen: index === 0 ? perStep.length : gaps.length,
    };
  });
}

/** Container lifetimes (create → start → die → destroy) from engine events, medians per container. */
export function engineLifetimes(containers: readonly ContainerEvent[]): {
  createToStartMs: number;
  startToDieMs: number;
  dieToDestroyMs: number;
  count: number;
} {
  const byName = new Map<string, Map<string, number>>();
  for (const event of containers) {
    const actions = byName.get(event.container) ?? new Map<string, number>();
    if (!actions.has(event.action)) actions.set(event.action, event.at);
    byName.set(event.container, actions);
  }
  const lives = [...byName.values()].filter((actions) => actions.has('start') && actions.has('die'));
  const gap = (from: string, to: string) =>
    median(lives.filter((a) => a.has(from) && a.has(to)).map((a) => a.get(to)! - a.get(from)!));
  return {
    createToStartMs: gap('create', 'start'),
    startToDieMs: gap('start', 'die'),
    dieToDestroyMs: gap('die', 'destroy'),
    count: lives.length,
  };
}
