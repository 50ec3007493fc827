/** Shared pieces of the quick-build integration tests: contexts on disk, the CLI in-process, registry checks. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';

import type { CliIo } from '../../../server/src/cli/cliIo';
import type { RunEvent, StepOutputEvent } from '../../../server/src/protocol';
import type { RegistryEnv } from '../setup';

/** Files (`content`), empty folders (trailing `/`) and symlinks (`-> target` in the name). */
export function makeTree(files: Record<string, string>, root = mkdtempSync(path.join(tmpdir(), 'quick-it-'))): string {
  for (const [entry, content] of Object.entries(files)) {
    const [name, target] = entry.split(' -> ') as [string, string | undefined];
    const full = path.join(root, name);
    mkdirSync(name.endsWith('/') ? full : path.dirname(full), { recursive: true });
    if (name.endsWith('/')) continue;
    if (target !== undefined) symlinkSync(target, full);
    else writeFileSync(full, content);
  }
  return root;
}

/** All output text of one step. */
export function stepOutput(events: readonly RunEvent[], stepId: string): string {
  return events
    .filter((event): event is StepOutputEvent => event.type === 'stepOutput' && event.stepId === stepId)
    .map((event) => event.text)
    .join('');
}

/** The lines a `find /ctx | sort` in the build printed. */
export function ctxLines(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith('/ctx'));
}

/** Captured stdout/stderr of an in-process CLI command. */
export function cliIo(
  cwd: string,
  env: Record<string, string>,
): { io: CliIo; text: () => { out: string; err: string } } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    io: { stdout, stderr, cwd, env, signal: new AbortController().signal },
    text: () => ({ out, err }),
  };
}

/** Tags of a repository in the registry (HTTP API with basic auth). */
export function registryTags(registry: RegistryEnv, repository: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${registry.url}/v2/${repository}/tags/list`,
      { auth: `${registry.username}:${registry.password}` },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => {
          if (response.statusCode !== 200) return resolve([]);
          resolve(((JSON.parse(body) as { tags?: string[] | null }).tags ?? []).sort());
        });
      },
    );
    request.on('error', reject);
  });
}
