/**
 * Which documents are ACR task files: by file name (`acr-task.yaml`, `*.acr-task.yaml`, `acb.yaml`)
 * plus the user's extra globs, whatever languageId the client sends (a task file opened as plain
 * YAML, or by a client that knows nothing about us, is still validated).
 */
import { minimatch } from 'minimatch';
import { URI } from 'vscode-uri';
import { DEFAULT_TASK_FILE_PATTERNS } from '../protocol';

export function uriToPath(uri: string): string {
  return URI.parse(uri).fsPath;
}

export function isTaskFile(uri: string, extraGlobs: readonly string[]): boolean {
  const path = URI.parse(uri).path;
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (DEFAULT_TASK_FILE_PATTERNS.some((pattern) => minimatch(name, pattern))) return true;
  return extraGlobs.some((glob) => minimatch(path, glob, { matchBase: !glob.includes('/'), dot: true }));
}
