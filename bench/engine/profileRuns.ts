/**
 * Profiled runs after the measured rounds: our runs with every Engine API call timed and the engine's
 * container events fetched, and (for the chain) the bare API and docker CLI loops with their container
 * events, so the engine's own share (create → start → exit → removed) can be compared across variants.
 */
import { performance } from 'node:perf_hooks';
import type Docker from 'dockerode';

import type { DockerodeRuntime } from '../../server/src/engine/DockerodeRuntime';
import { engineLifetimes, phaseRows, stepMoments, type PhaseRow, type RunTrace, type StepMoment } from './analysis';
import { runBareSequence, type BareProfiling } from './bareApi';
import { containerEvents, recordCalls, runLabel, type CallRecord } from './profile';
import { cliScriptOf, IMAGE, type Scenario } from './scenarios';
import { median } from './stats';
import { benchRunId, runDockerCli, runOursInProcess } from './variants';

export interface Lifetime {
  variant: string;
  createToStartMs: number;
  startToDieMs: number;
  dieToDestroyMs: number;
  count: number;
}

export interface ScenarioProfile {
  scenario: string;
  runs: number;
  phases: PhaseRow[];
  moments: StepMoment[];
  lifetimes: Lifetime[];
  /** The bare API's calls per container, median ms (chain only). */
  bareCalls: { operation: string; medianMs: number }[];
}

export interface ProfileInput {
  runtime: DockerodeRuntime;
  docker: Docker;
  scenario: Scenario;
  contextDir: string;
  runs: number;
  /** Also profile the bare API and docker CLI loops (engine events only). */
  withBare: boolean;
  env: NodeJS.ProcessEnv;
}

/** Margin around a run when asking the engine for its events (clock granularity, event latency). */
const EVENT_MARGIN_MS = 1_000;

async function traceOurRun(input: ProfileInput): Promise<RunTrace> {
  const calls: CallRecord[] = [];
  const events: RunTrace['events'] = [];
  const runId = benchRunId();
  const wallStart = Date.now();
  const restore = recordCalls(input.runtime, calls);
  const start = performance.now();
  try {
    await runOursInProcess(
      {
        runtime: input.runtime,
        taskText: input.scenario.taskText,
        contextDir: input.contextDir,
        onEvent: (event, at) => events.push({ event, at }),
      },
      runId,
    );
  } finally {
    restore();
  }
  const end = performance.now();
  const containers = await containerEvents(
    input.docker,
    runLabel(runId),
    wallStart - EVENT_MARGIN_MS,
    Date.now() + 100,
  );
  return { runId, start, end, events, calls, containers };
}

async function lifetimeOf(
  variant: string,
  docker: Docker,
  run: (label: [string, string]) => Promise<unknown>,
): Promise<Lifetime> {
  const label: [string, string] = ['dev.acr-tasks-local.bench', benchRunId()];
  const wallStart = Date.now();
  await run(label);
  const events = await containerEvents(docker, label.join('='), wallStart - EVENT_MARGIN_MS, Date.now() + 100);
  return { variant, ...engineLifetimes(events) };
}

export async function profileScenario(input: ProfileInput): Promise<ScenarioProfile> {
  const traces: RunTrace[] = [];
  for (let run = 0; run < input.runs; run++) {
    console.log(`profile: ${input.scenario.name}, our run ${run + 1}/${input.runs}`);
    traces.push(await traceOurRun(input));
  }
  // Step containers only: the volume helpers are created but never started.
  const stepContainers = traces.flatMap((trace) =>
    trace.containers.filter((event) => event.container.startsWith(`acb_${trace.runId}_`)),
  );
  const lifetimes: Lifetime[] = [{ variant: 'ours', ...engineLifetimes(stepContainers) }];
  const bareCalls: ScenarioProfile['bareCalls'] = [];
  if (input.withBare) {
    const { commands } = input.scenario;
    const profiling: BareProfiling = { labels: {}, calls: new Map() };
    lifetimes.push(
      await lifetimeOf('bare API', input.docker, ([key, value]) =>
        runBareSequence(input.docker, IMAGE, commands, { ...profiling, labels: { [key]: value } }),
      ),
      await lifetimeOf('docker CLI', input.docker, (label) =>
        runDockerCli(cliScriptOf(commands, label.join('=')), input.env),
      ),
    );
    for (const [operation, durations] of profiling.calls) bareCalls.push({ operation, medianMs: median(durations) });
  }
  return {
    scenario: input.scenario.name,
    runs: input.runs,
    phases: phaseRows(traces),
    moments: stepMoments(traces),
    lifetimes,
    bareCalls,
  };
}
