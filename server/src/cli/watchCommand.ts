/**
 * `watch [--poll SECONDS] [--on-stop finish|cancel] [--logs] [--json] [--engine HOST]` — runs the
 * triggers of the definitions file in the current folder until stopped: the way to keep a build
 * machine maintaining its images. Ctrl+C stops watching; running tasks then finish (`--on-stop finish`,
 * the default) or are cancelled and cleaned up (`cancel`); a second Ctrl+C cancels them, a third exits.
 * Every line is a watcher event (with `--logs`, the runs' logs too, prefixed with task and run id).
 */
import { parseArgs } from 'node:util';

import { readDefinitionsFile } from '../engine/triggers/definitionsFile';
import { TriggerWatcher } from '../engine/triggers/TriggerWatcher';
import { RunLogFormatter } from '../engine/runStore/logText';
import type { RunEvent, WatcherEvent } from '../protocol';
import { type CliIo, UsageError } from './cliIo';
import {
  connectRuntime,
  errorText,
  openStore,
  parsePositiveInteger,
  registryCredentials,
  type DefinitionsCliDependencies,
} from './definitionsCli';

export const WATCH_USAGE =
  'usage: watch [--poll SECONDS] [--on-stop finish|cancel] [--logs] [--json] [--engine HOST]   (in the folder of .acr-tasks.yaml)';

/** One line for a watcher event. */
export function watcherEventText(event: WatcherEvent): string {
  switch (event.type) {
    case 'started':
      return `Watching ${event.tasks} task(s) of ${event.definitionsFile}; checking base images and branches every ${event.pollSeconds} s`;
    case 'definitionsProblems':
      return `${event.definitionsFile} has errors (those tasks are skipped):\n${event.problems.map((problem) => `  ${problem}`).join('\n')}`;
    case 'triggered':
      return `${event.task}: ${event.trigger} trigger — ${event.reason}${event.queued ? ' (queued: the task is running)' : ''}`;
    case 'runStarted':
      return `${event.task}: run ${event.runId} started (${event.trigger})`;
    case 'runFinished':
      return `${event.task}: run ${event.runId} ${event.status}${event.error ? `: ${event.error}` : ''}`;
    case 'runNotStarted':
      return `${event.task}: the ${event.trigger} run could not start: ${event.error}`;
    case 'loopStopped':
      return `${event.task}: not run again for ${event.reference}: it changed in a cascade this task is part of (${event.chain.join(' → ')})`;
    case 'problem':
      return `problem: ${event.message} (the watcher keeps going)`;
    case 'recovered':
      return `ok again: ${event.message}`;
    case 'stopping':
      return event.running === 0
        ? 'Stopping'
        : event.mode === 'finish'
          ? `Stopping: waiting for ${event.running} running task(s) to finish (Ctrl+C again cancels them)`
          : `Stopping: cancelling ${event.running} running task(s) and cleaning up`;
    case 'stopped':
      return 'Stopped';
  }
}

/** Run log lines prefixed with `[task run]`, so concurrent runs stay readable. */
class PrefixedRunLogs {
  private readonly formatters = new Map<string, RunLogFormatter>();
  private readonly tasks = new Map<string, string>();

  format(event: RunEvent): string {
    if (event.type === 'runStarted' && event.origin) this.tasks.set(event.runId, event.origin.task);
    let formatter = this.formatters.get(event.runId);
    if (!formatter) {
      formatter = new RunLogFormatter();
      this.formatters.set(event.runId, formatter);
    }
    const text = formatter.format(event);
    const prefix = `[${this.tasks.get(event.runId) ?? '?'} ${event.runId}] `;
    if (event.type === 'runFinished') this.formatters.delete(event.runId);
    return text
      .split('\n')
      .filter((line, index, lines) => !(index === lines.length - 1 && line === ''))
      .map((line) => `${prefix}${line}\n`)
      .join('');
  }
}

export async function watchCommand(
  argv: string[],
  io: CliIo,
  dependencies: DefinitionsCliDependencies = {},
): Promise<number> {
  const { values: flags, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      poll: { type: 'string' },
      'on-stop': { type: 'string' },
      logs: { type: 'boolean' },
      json: { type: 'boolean' },
      engine: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(WATCH_USAGE);
  const pollSeconds = parsePositiveInteger('poll', flags.poll);
  const onStop = flags['on-stop'] ?? 'finish';
  if (onStop !== 'finish' && onStop !== 'cancel')
    throw new UsageError(`--on-stop ${onStop}: expected finish or cancel`);
  const file = await readDefinitionsFile(io.cwd);
  if (!file.exists) throw new UsageError(`no ${file.path}: define tasks with \`task create\` first`);
  let runtime;
  try {
    runtime = await connectRuntime(flags.engine, dependencies);
  } catch (error) {
    io.stderr.write(`error: ${errorText(error)}\n`);
    return 1;
  }
  const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const logs = new PrefixedRunLogs();
  const credentials = registryCredentials(io);
  const watcher = new TriggerWatcher({
    folder: io.cwd,
    runtime,
    store: openStore(io, dependencies),
    resolveRegistryAuth: (host) => credentials(host),
    ...(pollSeconds ? { pollSeconds } : {}),
    onEvent: (event) => {
      io.stdout.write(flags.json ? `${JSON.stringify(event)}\n` : `${stamp()} ${watcherEventText(event)}\n`);
    },
    ...(flags.logs
      ? {
          onRunEvent: (event: RunEvent) =>
            io.stdout.write(flags.json ? `${JSON.stringify(event)}\n` : logs.format(event)),
        }
      : {}),
  });
  await watcher.start();
  if (!io.signal.aborted) await new Promise((resolve) => io.signal.addEventListener('abort', resolve, { once: true }));
  const stopped = watcher.stop(onStop);
  io.interrupted?.addEventListener('abort', () => void watcher.stop('cancel'), { once: true });
  await stopped;
  return 0;
}
