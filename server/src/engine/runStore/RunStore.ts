/**
 * Every run, recorded on disk: `<dir>/<run id>/run.json` (the record: task file, trigger, status,
 * timings, step summaries, dependency records), `events.jsonl` (the masked event stream, for replay)
 * and `log.txt` (the masked human log). Runs older than the retention period (30 days, like ACR's run
 * logs) are removed unless archived.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import type { DependencyRecordJson, RunEvent, RunOrigin, RunStatus, StepSummary } from '../../protocol';
import { isValidRunId } from '../run/runId';
import { RunLogFormatter } from './logText';

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RunRecord {
  id: string;
  taskFile: string;
  context: string;
  /** Why the run happened (`cli`, `manual`, …). */
  trigger: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  error?: string;
  engine?: string;
  runVariables?: Record<string, string>;
  steps: StepSummary[];
  dependencies: DependencyRecordJson[];
  /** Engine image ids of the dependency records' references (see RunFinishedEvent.imageIds). */
  imageIds?: Record<string, string>;
  /** Archived runs are never removed by retention. */
  archived: boolean;
  /** Set for runs of a defined task: its name, definitions file, and why it ran. */
  origin?: RunOrigin;
}

/** The OS's place for application data: XDG on Linux, Application Support on macOS, LOCALAPPDATA on Windows. */
export function defaultRunsDirectory(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const app = 'acr-tasks-local';
  if (platform === 'win32') return path.join(env['LOCALAPPDATA'] || path.join(home, 'AppData', 'Local'), app, 'runs');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', app, 'runs');
  return path.join(env['XDG_DATA_HOME'] || path.join(home, '.local', 'share'), app, 'runs');
}

export interface RunStoreOptions {
  directory?: string;
  retentionDays?: number;
  now?: () => Date;
}

async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await fs.rename(temporary, file);
}

/** Records one run while it happens. Event handling is synchronous; writes are queued in order. */
export class RunRecorder {
  private readonly formatter = new RunLogFormatter();
  private writes: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(
    readonly record: RunRecord,
    private readonly runDirectory: string,
    private readonly events: WriteStream,
    private readonly log: WriteStream,
  ) {}

  /** Call with every event of the run (already masked). */
  onEvent(event: RunEvent): void {
    this.events.write(`${JSON.stringify(event)}\n`);
    const text = this.formatter.format(event);
    if (text !== '') this.log.write(text);
    if (event.type === 'runStarted') {
      Object.assign(this.record, {
        engine: event.engine,
        runVariables: event.runVariables,
        startedAt: event.startedAt,
      });
      this.saveRecord();
    } else if (event.type === 'runFinished') {
      Object.assign(this.record, {
        status: event.status,
        finishedAt: event.finishedAt,
        durationMs: event.durationMs,
        steps: event.steps,
        dependencies: event.dependencies,
        ...(event.error === undefined ? {} : { error: event.error }),
        ...(event.imageIds === undefined ? {} : { imageIds: event.imageIds }),
      });
      this.saveRecord();
    }
  }

  private saveRecord(): void {
    const snapshot = structuredClone(this.record);
    this.writes = this.writes
      .then(() => writeJsonAtomically(path.join(this.runDirectory, 'run.json'), snapshot))
      .catch((error: unknown) => {
        this.failure ??=
          error instanceof Error ? error : new Error(`cannot write the run record: ${JSON.stringify(error)}`);
      });
  }

  /** Flushes everything to disk; rejects with the first write error, if any. */
  async close(): Promise<void> {
    const end = (stream: WriteStream) =>
      new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    await Promise.all([end(this.events), end(this.log)]);
    await this.writes;
    if (this.failure !== undefined) throw this.failure;
  }
}

export class RunStore {
  readonly directory: string;
  readonly retentionDays: number;
  private readonly now: () => Date;

  constructor(options: RunStoreOptions = {}) {
    this.directory = options.directory ?? defaultRunsDirectory();
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.now = options.now ?? (() => new Date());
  }

  private runDirectory(id: string): string {
    if (!isValidRunId(id)) throw new Error(`invalid run id ${JSON.stringify(id)}`);
    return path.join(this.directory, id);
  }

  async has(id: string): Promise<boolean> {
    try {
      await fs.access(this.runDirectory(id));
      return true;
    } catch {
      return false;
    }
  }

  /** Starts recording a run (creates its folder; the id must be new). */
  async begin(record: Omit<RunRecord, 'status' | 'steps' | 'dependencies' | 'archived'>): Promise<RunRecorder> {
    const directory = this.runDirectory(record.id);
    await fs.mkdir(this.directory, { recursive: true });
    await fs.mkdir(directory);
    const full: RunRecord = { ...record, status: 'running', steps: [], dependencies: [], archived: false };
    await writeJsonAtomically(path.join(directory, 'run.json'), full);
    const open = (name: string) => createWriteStream(path.join(directory, name), { flags: 'a' });
    return new RunRecorder(full, directory, open('events.jsonl'), open('log.txt'));
  }

  async get(id: string): Promise<RunRecord | undefined> {
    try {
      return JSON.parse(await fs.readFile(path.join(this.runDirectory(id), 'run.json'), 'utf8')) as RunRecord;
    } catch {
      return undefined;
    }
  }

  /** All recorded runs, newest first. Unreadable entries are skipped. */
  async list(): Promise<RunRecord[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.directory);
    } catch {
      return [];
    }
    const records = await Promise.all(names.filter(isValidRunId).map((name) => this.get(name)));
    return records
      .filter((record): record is RunRecord => record !== undefined)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async readLog(id: string): Promise<string | undefined> {
    try {
      return await fs.readFile(path.join(this.runDirectory(id), 'log.txt'), 'utf8');
    } catch {
      return undefined;
    }
  }

  async readEvents(id: string): Promise<RunEvent[]> {
    let text: string;
    try {
      text = await fs.readFile(path.join(this.runDirectory(id), 'events.jsonl'), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as RunEvent);
  }

  async setArchived(id: string, archived: boolean): Promise<void> {
    const record = await this.get(id);
    if (!record) throw new Error(`no recorded run ${id}`);
    await writeJsonAtomically(path.join(this.runDirectory(id), 'run.json'), { ...record, archived });
  }

  async remove(id: string): Promise<void> {
    await fs.rm(this.runDirectory(id), { recursive: true, force: true });
  }

  /** Removes finished, unarchived runs older than the retention period; returns their ids. */
  async prune(): Promise<string[]> {
    const cutoff = this.now().getTime() - this.retentionDays * DAY_MS;
    const removed: string[] = [];
    for (const record of await this.list()) {
      const time = Date.parse(record.finishedAt ?? record.startedAt);
      if (record.archived || !(time < cutoff)) continue;
      await this.remove(record.id);
      removed.push(record.id);
    }
    return removed;
  }
}
