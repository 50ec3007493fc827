/** The run store's records as the client's history entries (protocol types only cross the wire). */
import type { RunRecord } from '../engine/runStore/RunStore';
import type { RunHistoryEntry } from '../protocol';

export function runHistoryEntry(record: RunRecord): RunHistoryEntry {
  const entry: RunHistoryEntry = {
    runId: record.id,
    taskFile: record.taskFile,
    context: record.context,
    trigger: record.trigger,
    status: record.status,
    startedAt: record.startedAt,
    steps: record.steps,
    archived: record.archived,
  };
  if (record.finishedAt !== undefined) entry.finishedAt = record.finishedAt;
  if (record.durationMs !== undefined) entry.durationMs = record.durationMs;
  if (record.error !== undefined) entry.error = record.error;
  if (record.origin !== undefined) entry.origin = record.origin;
  return entry;
}
