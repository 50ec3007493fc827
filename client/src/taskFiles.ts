/**
 * Which files are task files: by NAME, never by content (the client does not parse). Task files keep the
 * `yaml` language id on purpose: a language id of our own would switch off every YAML extension for
 * them (Red Hat YAML's schema validation, which most ACR users have and which our `yamlValidation`
 * schema feeds, folding, formatting, other linters). Our language client selects them by file pattern
 * instead, and the server checks names again (server/src/lsp/taskFiles.ts).
 */
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import * as vscode from 'vscode';
import { DEFAULT_TASK_FILE_PATTERNS } from '../../server/src/protocol';
import { readSettings } from './settings';

/** Glob for `workspace.findFiles` and document selectors. */
export const TASK_FILE_GLOB = `**/{${DEFAULT_TASK_FILE_PATTERNS.join(',')}}`;

export function isTaskFileName(fsPath: string, extraGlobs: readonly string[] = readSettings().taskFileGlobs): boolean {
  const name = path.basename(fsPath);
  if (DEFAULT_TASK_FILE_PATTERNS.some((pattern) => minimatch(name, pattern))) return true;
  const slashed = fsPath.split(path.sep).join('/');
  return extraGlobs.some((glob) => minimatch(slashed, glob, { matchBase: !glob.includes('/'), dot: true }));
}

/** Task files of the open workspace folders, sorted by path. */
export async function findTaskFiles(): Promise<vscode.Uri[]> {
  const globs = [TASK_FILE_GLOB, ...readSettings().taskFileGlobs];
  const found = await Promise.all(globs.map((glob) => vscode.workspace.findFiles(glob, '**/node_modules/**', 500)));
  const unique = new Map<string, vscode.Uri>();
  for (const uri of found.flat()) unique.set(uri.toString(), uri);
  return [...unique.values()].sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

export function isDockerfileName(fsPath: string): boolean {
  return /^(Dockerfile(\..+)?|.+\.Dockerfile|.+\.dockerfile)$/i.test(path.basename(fsPath));
}
