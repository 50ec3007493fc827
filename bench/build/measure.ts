/** Runs a command to completion and measures its wall time (and, for node programs, its peak RSS). */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface Measurement {
  seconds: number;
  /** Peak resident set size in MB (node programs run with the RSS reporter only). */
  peakRssMb?: number;
  /** RSS samples of a node program: [seconds since start, MB]. */
  rssTimeline?: [number, number][];
  /** Seconds from the start until the output first matched `marker`. */
  markerSeconds?: number;
  exitCode: number;
  output: string;
}

export interface Command {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** A node program: run with the RSS reporter preloaded. */
  node?: { reporter: string };
  /** Output that marks a moment worth timing (e.g. the whole context sent). */
  marker?: RegExp;
}

export async function measure(command: Command): Promise<Measurement> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-build-rss-'));
  const rssFile = path.join(scratch, 'rss');
  const args = command.node ? ['--require', command.node.reporter, ...command.args] : command.args;
  const started = performance.now();
  const startedAt = Date.now();
  let markerSeconds: number | undefined;
  const child = spawn(command.command, args, {
    cwd: command.cwd,
    env: { ...command.env, ...(command.node ? { BENCH_RSS_FILE: rssFile } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (markerSeconds === undefined && command.marker?.test(output))
      markerSeconds = (performance.now() - started) / 1000;
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? -1));
  });
  const seconds = (performance.now() - started) / 1000;
  let peakRssMb: number | undefined;
  let rssTimeline: [number, number][] | undefined;
  if (command.node) {
    const report = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRssKb: number; samples: [number, number][] };
    peakRssMb = report.maxRssKb / 1024;
    rssTimeline = report.samples.map(([at, kilobytes]) => [(at - startedAt) / 1000, kilobytes / 1024]);
  }
  rmSync(scratch, { recursive: true, force: true });
  return {
    seconds,
    exitCode,
    output,
    ...(peakRssMb !== undefined ? { peakRssMb } : {}),
    ...(rssTimeline ? { rssTimeline } : {}),
    ...(markerSeconds !== undefined ? { markerSeconds } : {}),
  };
}

/** The RSS (MB) of the last sample taken at or before `seconds`. */
export function rssAt(timeline: readonly [number, number][], seconds: number): number | undefined {
  let value: number | undefined;
  for (const [at, megabytes] of timeline) if (at <= seconds) value = megabytes;
  return value;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
