/**
 * The client's picture of a run, built only from the server's run events: what the Tasks view, the
 * status bar and the terminals show. No task parsing happens here.
 */
import type {
  PlannedStep,
  RunEvent,
  RunFinishedEvent,
  RunStatus,
  StepKind,
  StepStatus,
} from '../../../server/src/protocol';

export type LiveStepStatus = 'queued' | 'running' | StepStatus;

export interface StepState {
  id: string;
  kind: StepKind;
  status: LiveStepStatus;
  /** Epoch ms. */
  startedAt?: number;
  durationMs?: number;
  command?: string;
  exitCode?: number;
  error?: string;
}

export interface RunState {
  runId: string;
  taskFile: string;
  context: string;
  trigger: string;
  status: RunStatus;
  /** Epoch ms (client clock until runStarted says otherwise). */
  startedAt: number;
  steps: Map<string, StepState>;
  /** Set once the first step started or the run ended: the context is in the engine. */
  setupDone: boolean;
  /** The run variables the task was rendered with (`ID`, `Registry`, `Date`, …), once the run started. */
  runVariables?: Record<string, string>;
  finished?: RunFinishedEvent;
}

export function newRunState(runId: string, taskFile: string): RunState {
  return {
    runId,
    taskFile,
    context: '',
    trigger: '',
    status: 'running',
    startedAt: Date.now(),
    steps: new Map(),
    setupDone: false,
  };
}

function planned(step: PlannedStep): StepState {
  return { id: step.id, kind: step.kind, status: 'queued' };
}

/** Applies one event to the run's state (mutates it). */
export function applyRunEvent(run: RunState, event: RunEvent): void {
  switch (event.type) {
    case 'runStarted':
      run.taskFile = event.taskFile;
      run.context = event.context;
      run.trigger = event.trigger;
      run.startedAt = Date.parse(event.startedAt);
      run.runVariables = event.runVariables;
      run.steps = new Map(event.steps.map((step) => [step.id, planned(step)]));
      return;
    case 'stepStarted': {
      run.setupDone = true;
      const step = run.steps.get(event.stepId) ?? { id: event.stepId, kind: event.kind, status: 'queued' };
      run.steps.set(event.stepId, {
        ...step,
        status: 'running',
        startedAt: Date.parse(event.startedAt),
        command: event.command,
      });
      return;
    }
    case 'stepFinished': {
      const step = run.steps.get(event.stepId) ?? { id: event.stepId, kind: event.kind, status: 'queued' };
      const finished: StepState = { ...step, status: event.status };
      if (event.durationMs !== undefined) finished.durationMs = event.durationMs;
      if (event.exitCode !== undefined) finished.exitCode = event.exitCode;
      if (event.error !== undefined) finished.error = event.error;
      run.steps.set(event.stepId, finished);
      return;
    }
    case 'runFinished':
      run.setupDone = true;
      run.status = event.status;
      run.finished = event;
      for (const summary of event.steps) {
        const step = run.steps.get(summary.id) ?? { id: summary.id, kind: summary.kind, status: 'queued' };
        const final: StepState = { ...step, status: summary.status };
        if (summary.durationMs !== undefined) final.durationMs = summary.durationMs;
        if (summary.exitCode !== undefined) final.exitCode = summary.exitCode;
        run.steps.set(summary.id, final);
      }
      return;
    case 'runMessage':
    case 'stepOutput':
      return;
  }
}

/** Exit code of a finished run for the terminal and the task system. */
export function exitCodeOf(status: RunStatus): number {
  switch (status) {
    case 'succeeded':
      return 0;
    case 'cancelled':
      return 130;
    case 'timedOut':
      return 124;
    default:
      return 1;
  }
}

/** `1.2 s`, `2 min 03 s`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}
