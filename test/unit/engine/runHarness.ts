/** Runs tasks against the fake runtime with a 10 ms "second", collecting events and leftovers. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runTask, type RunTaskOptions } from '../../../server/src/engine/run/runTask';
import type { RunEvent } from '../../../server/src/protocol';
import type { FakeRuntime } from './fakeRuntime';

const timing = { msPerSecond: 10 };

export function contextDir(files: Record<string, string> = { 'README.md': 'hello\n' }): string {
  const dir = mkdtempSync(join(tmpdir(), 'acr-run-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

export async function run(runtime: FakeRuntime, taskText: string, extra: Partial<RunTaskOptions> = {}) {
  const events: RunEvent[] = [];
  const context = extra.contextDir ?? contextDir();
  try {
    const result = await runTask({
      runtime,
      taskFile: 'acr-task.yaml',
      taskText,
      contextDir: context,
      runId: 'r1',
      timing,
      onEvent: (event) => events.push(event),
      ...extra,
    });
    const leftovers = await runtime.listRunResources(result.runId);
    return { result, events, leftovers };
  } finally {
    if (!extra.contextDir) rmSync(context, { recursive: true, force: true });
  }
}
