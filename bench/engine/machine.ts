/**
 * What the figures were measured on: machine, load, Node, the engine and the docker CLI (which must
 * talk to the same engine as our runtime, or the comparison means nothing).
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release, totalmem, type as osType } from 'node:os';

import type { ContainerRuntime } from '../../server/src/engine/ContainerRuntime';

export interface MachineFacts {
  date: string;
  /** One line per fact, for the console and RESULTS.md. */
  lines: string[];
  summary: string;
  loadAtStart: string;
}

function load(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

/** Facts now; `loadNow()` for the load at the end. */
export async function machineFacts(runtime: ContainerRuntime, env: NodeJS.ProcessEnv): Promise<MachineFacts> {
  const info = await runtime.info(AbortSignal.timeout(10_000));
  const versions = execFileSync(
    'docker',
    [
      'version',
      '--format',
      '{{.Client.Version}} (API {{.Client.APIVersion}}) → {{.Server.Version}} (API {{.Server.APIVersion}})',
    ],
    { env, encoding: 'utf8' },
  ).trim();
  if (!versions.includes(`→ ${info.serverVersion} `)) {
    throw new Error(
      `the docker CLI talks to another engine (${versions}) than ours (${info.serverVersion} at ${info.endpoint})`,
    );
  }
  const date = new Date().toISOString();
  const loadAtStart = load();
  const lines = [
    `date: ${date}`,
    `machine: ${osType()} ${release()}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`,
    `load average (1/5/15 min) at start: ${loadAtStart}`,
    `Node ${process.version}`,
    `engine: Docker ${info.serverVersion} (API ${info.apiVersion}, ${info.os}/${info.architecture}) at ${info.endpoint}`,
    `docker CLI: ${versions}`,
  ];
  return { date, lines, summary: lines.join('\n'), loadAtStart };
}

export function loadNow(): string {
  return load();
}
