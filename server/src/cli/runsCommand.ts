/**
 * `runs list [--task N] [--json]`, `runs logs ID`, `runs prune [--retention-days D]` — the run history
 * (every run: `run`, `task run`, triggered runs, editor runs), like `az acr task list-runs` / `logs`.
 * `--task` picks the runs of a task of the definitions file in the current folder. Logs are the masked
 * logs the runs recorded. Pruning removes finished runs older than the retention (30 days, ACR's log
 * retention) unless they are archived.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

import { DEFAULT_RETENTION_DAYS, type RunRecord } from '../engine/runStore/RunStore';
import { definitionsPath } from '../engine/triggers/definitionsFile';
import { type CliIo, UsageError } from './cliIo';
import { openStore, parsePositiveInteger, type DefinitionsCliDependencies } from './definitionsCli';

export const RUNS_USAGE = `usage: runs <list|logs|prune> [options]
  runs list [--task N] [--json]         recorded runs, newest first (JSON: one object per line)
  runs logs ID                          the masked log of a run
  runs prune [--retention-days D]       remove finished runs older than D days (default ${DEFAULT_RETENTION_DAYS}); archived runs stay
`;

/** The JSON line of one run in `runs list --json`. */
export function runListEntry(record: RunRecord) {
  return {
    id: record.id,
    task: record.origin?.task ?? null,
    trigger: record.trigger,
    status: record.status,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt ?? null,
    durationMs: record.durationMs ?? null,
    reason: record.origin?.reason ?? null,
    cause: record.origin?.cause ?? null,
    taskFile: record.taskFile,
    definitionsFile: record.origin?.definitionsFile ?? null,
    error: record.error ?? null,
    archived: record.archived,
  };
}

function duration(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`;
}

async function list(argv: string[], io: CliIo, dependencies: DefinitionsCliDependencies): Promise<number> {
  const { values: flags } = parseArgs({ args: argv, options: { task: { type: 'string' }, json: { type: 'boolean' } } });
  let records = await openStore(io, dependencies).list();
  if (flags.task !== undefined) {
    const file = definitionsPath(io.cwd);
    records = records.filter((record) => record.origin?.task === flags.task && record.origin?.definitionsFile === file);
  }
  if (flags.json) {
    for (const record of records) io.stdout.write(`${JSON.stringify(runListEntry(record))}\n`);
    return 0;
  }
  if (records.length === 0) {
    io.stdout.write(flags.task === undefined ? 'No runs recorded.\n' : `No runs of task ${flags.task}.\n`);
    return 0;
  }
  const rows = records.map((record) => [
    record.id,
    record.origin?.task ?? (relative(io.cwd, record.taskFile) || record.taskFile),
    record.trigger,
    record.status,
    record.startedAt,
    duration(record.durationMs),
    record.origin?.reason ?? '',
  ]);
  const header = ['ID', 'TASK', 'TRIGGER', 'STATUS', 'STARTED', 'DURATION', 'REASON'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  for (const row of [header, ...rows]) {
    io.stdout.write(
      `${row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
  return 0;
}

async function logs(argv: string[], io: CliIo, dependencies: DefinitionsCliDependencies): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const [id] = positionals;
  if (id === undefined || positionals.length !== 1) throw new UsageError('usage: runs logs ID');
  const store = openStore(io, dependencies);
  let text: string | undefined;
  try {
    text = await store.readLog(id);
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    io.stderr.write(`error: no recorded run ${id} in ${store.directory}\n`);
    return 1;
  }
  io.stdout.write(text);
  return 0;
}

async function prune(argv: string[], io: CliIo, dependencies: DefinitionsCliDependencies): Promise<number> {
  const { values: flags } = parseArgs({ args: argv, options: { 'retention-days': { type: 'string' } } });
  const days = parsePositiveInteger('retention-days', flags['retention-days']);
  const store = openStore(io, dependencies, days);
  const removed = await store.prune();
  io.stdout.write(
    `Removed ${removed.length} run(s) finished more than ${store.retentionDays} days ago${removed.length > 0 ? `: ${removed.join(', ')}` : ''}\n`,
  );
  return 0;
}

export async function runsCommand(
  argv: string[],
  io: CliIo,
  dependencies: DefinitionsCliDependencies = {},
): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list':
      return list(rest, io, dependencies);
    case 'logs':
      return logs(rest, io, dependencies);
    case 'prune':
      return prune(rest, io, dependencies);
    case undefined:
    case '--help':
    case '-h':
      io.stdout.write(RUNS_USAGE);
      return sub === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown runs command '${sub}'\n${RUNS_USAGE}`);
  }
}
