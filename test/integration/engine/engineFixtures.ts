/**
 * Running task files through the real engine in integration tests: a fresh context folder, a unique
 * run id, the events of the run, and what the run left behind (which must be nothing).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ContainerRuntime, RunResources } from '../../../server/src/engine/ContainerRuntime';
import { randomRunId } from '../../../server/src/engine/run/runId';
import { runTask, type RunResult, type RunTaskOptions } from '../../../server/src/engine/run/runTask';
import type { RunEvent, StepOutputEvent } from '../../../server/src/protocol';

export const NOTHING: RunResources = { containers: [], networks: [], volumes: [] };

export function makeContext(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'acr-engine-it-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

export interface EngineRun {
  result: RunResult;
  events: RunEvent[];
  /** undefined when the engine cannot be asked (the unreachable-engine test). */
  leftovers: RunResources | undefined;
  /** All stdout+stderr text of a step, joined. */
  output(stepId: string): string;
}

export async function runOnEngine(
  runtime: ContainerRuntime,
  taskText: string,
  options: Partial<RunTaskOptions> & { files?: Record<string, string> } = {},
): Promise<EngineRun> {
  const { files, ...rest } = options;
  const context = rest.contextDir ?? makeContext(files ?? { 'README.md': 'context\n' });
  const events: RunEvent[] = [];
  try {
    const result = await runTask({
      runtime,
      taskFile: 'acr-task.yaml',
      taskText,
      contextDir: context,
      runId: randomRunId(8),
      ...rest,
      onEvent: (event) => {
        events.push(event);
        rest.onEvent?.(event);
      },
    });
    const leftovers = await runtime.listRunResources(result.runId, AbortSignal.timeout(30_000)).catch(() => undefined);
    return {
      result,
      events,
      leftovers,
      output: (stepId) =>
        events
          .filter((event): event is StepOutputEvent => event.type === 'stepOutput' && event.stepId === stepId)
          .map((event) => event.text)
          .join(''),
    };
  } finally {
    if (!rest.contextDir) rmSync(context, { recursive: true, force: true });
  }
}

/** [id, status, exitCode] of every step, in task order. */
export function stepStatuses(result: RunResult): [string, string, number | undefined][] {
  return result.steps.map((step) => [step.id, step.status, step.exitCode]);
}
