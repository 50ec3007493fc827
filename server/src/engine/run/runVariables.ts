/**
 * The run variables of a local run (spec §6.2): `$ID`, `$Registry`, `$Date` in ACR's format, `$OS` and
 * `$Architecture` from the engine, `$Commit`/`$Branch` from the context's git checkout, `$SharedVolume`.
 */
import { execFile } from 'node:child_process';

import type { RunVariables } from '../../task/model';
import { completeRunVariables } from '../../task/load';

/** ACR's `.Run.Date`: UTC `yyyyMMdd-HHmmss` followed by a literal lowercase `z` (Go layout `20060102-150405z`). */
export function formatRunDate(date: Date): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}z`
  );
}

function git(args: string[], cwd: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    // No shell, fixed arguments; any failure (not a repository, git missing) means "unknown" → empty.
    execFile('git', args, { cwd, signal, timeout: 10_000, windowsHide: true }, (error, stdout) => {
      resolve(error ? '' : stdout.trim());
    });
  });
}

/** `HEAD`'s commit and branch of the git checkout holding `contextDir`; empty strings when unknown. */
export async function gitRevision(
  contextDir: string,
  signal: AbortSignal,
): Promise<{ commit: string; branch: string }> {
  const [commit, branch] = await Promise.all([
    git(['rev-parse', 'HEAD'], contextDir, signal),
    git(['rev-parse', '--abbrev-ref', 'HEAD'], contextDir, signal),
  ]);
  // A detached HEAD reports the literal `HEAD`: no branch.
  return { commit, branch: branch === 'HEAD' ? '' : branch };
}

export interface RunVariableInputs {
  runId: string;
  registry?: string;
  startedAt: Date;
  os: string;
  architecture: string;
  sharedVolume: string;
  commit?: string;
  branch?: string;
  /** Overrides for the rest (`GitTag`, `TriggeredBy`, `TaskName`, …). */
  extra?: Partial<RunVariables>;
}

export function buildRunVariables(inputs: RunVariableInputs): RunVariables {
  return completeRunVariables({
    ...inputs.extra,
    ID: inputs.runId,
    Registry: inputs.registry ?? '',
    Date: formatRunDate(inputs.startedAt),
    OS: inputs.os,
    Architecture: inputs.architecture,
    SharedVolume: inputs.sharedVolume,
    Commit: inputs.commit ?? '',
    Branch: inputs.branch ?? '',
  });
}
