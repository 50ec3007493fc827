/**
 * One sample of each measured variant: our engine in-process (with its phases from the run events),
 * our CLI end to end, and a shell script of `docker run` through the docker CLI. Every variant checks
 * that its containers succeeded, so a broken setup cannot pass for a fast one.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

import type { ContainerRuntime } from '../../server/src/engine/ContainerRuntime';
import { randomRunId } from '../../server/src/engine/run/runId';
import { runTask } from '../../server/src/engine/run/runTask';
import type { RunEvent } from '../../server/src/protocol';

/** Wall time of our run, split at the run events. */
export interface OursSample {
  totalMs: number;
  /** runTask called → first `stepStarted` (engine check, task load, volumes, context copy, network). */
  setupMs: number;
  /** First `stepStarted` → last `stepFinished`. */
  stepsMs: number;
  /** Last `stepFinished` → runTask resolved (listing and removing what the run created). */
  cleanupMs: number;
}

export interface OursRunInput {
  runtime: ContainerRuntime;
  /** The engine's entry point; default ours (the baseline variant passes another build's). */
  runTask?: typeof runTask;
  taskText: string;
  contextDir: string;
  /** Cancels the run (Ctrl+C on the benchmark): the engine cleans up as for any cancelled run. */
  signal?: AbortSignal;
  /** Sees every event with the time it arrived (performance.now()); for the profile. */
  onEvent?: (event: RunEvent, at: number) => void;
}

/** Run ids of the benchmark: valid ACR-like ids, recognisable in `docker ps` while a sample runs. */
export function benchRunId(): string {
  return `bench${randomRunId(6)}`;
}

export async function runOursInProcess(input: OursRunInput, runId = benchRunId()): Promise<OursSample> {
  let firstStepStarted: number | undefined;
  let lastStepFinished: number | undefined;
  const start = performance.now();
  const result = await (input.runTask ?? runTask)({
    runtime: input.runtime,
    taskFile: 'acr-task.yaml',
    taskText: input.taskText,
    contextDir: input.contextDir,
    runId,
    trigger: 'bench',
    ...(input.signal ? { signal: input.signal } : {}),
    onEvent: (event) => {
      const at = performance.now();
      if (event.type === 'stepStarted') firstStepStarted ??= at;
      if (event.type === 'stepFinished') lastStepFinished = at;
      input.onEvent?.(event, at);
    },
  });
  const end = performance.now();
  const leftovers = Object.values(result.leftovers).flat();
  if (result.status !== 'succeeded' || leftovers.length > 0) {
    throw new Error(
      `our run ${runId} ${result.status}${result.error ? `: ${result.error}` : ''}${leftovers.length ? `; left ${leftovers.join(', ')}` : ''}`,
    );
  }
  if (firstStepStarted === undefined || lastStepFinished === undefined) throw new Error(`run ${runId} ran no step`);
  return {
    totalMs: end - start,
    setupMs: firstStepStarted - start,
    stepsMs: lastStepFinished - firstStepStarted,
    cleanupMs: end - lastStepFinished,
  };
}

/** Runs a program to its end; resolves to the wall time in ms, rejects on a non-zero exit (with its output). */
export function timeProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      // Only the tail matters for an error message; the run's log can be long.
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const elapsed = performance.now() - start;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code ?? signal}:\n${output}`));
    });
  });
}

/** Our CLI, `node dist/cli.js run FILE CONTEXT --id ID`, as a user starts it (node start-up included). */
export function runOursCli(cli: string, taskFile: string, contextDir: string, env: NodeJS.ProcessEnv): Promise<number> {
  return timeProcess(process.execPath, [cli, 'run', taskFile, contextDir, '--id', benchRunId()], env);
}

/** The scenario's `docker run` script through the docker CLI. */
export function runDockerCli(script: string, env: NodeJS.ProcessEnv): Promise<number> {
  return timeProcess('sh', ['-c', script], env);
}
