/**
 * Reading what `validate`, `render` and `run` share: the task file, a values file (relative paths are
 * read from the current directory, as the issue asks), and `--set` items.
 */
import { parseSafely } from '../task/yamlSafety';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { createLanguageService, type TaskLanguageService } from '../language';
import { FileHost } from '../lsp/fileHost';
import { UsageError } from './cliIo';

export function readTaskFile(path: string, cwd: string): { path: string; text: string } {
  const absolute = resolve(cwd, path);
  try {
    return { path: absolute, text: readFileSync(absolute, 'utf8') };
  } catch (error) {
    throw new UsageError(`cannot read task file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** Parses a values file; its problems are reported with the values file's own location. */
export function readValuesFile(path: string | undefined, cwd: string): Record<string, unknown> | undefined {
  if (path === undefined) return undefined;
  const absolute = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read values file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = parseSafely(text, { version: '1.1' });
  } catch (error) {
    const position = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const where = position ? `:${position.line}:${position.col}` : '';
    throw new UsageError(`${path}${where}: invalid values file: ${(error as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError(`${path}: a values file must be a YAML mapping`);
  return parsed as Record<string, unknown>;
}

/** The language service as the CLI uses it (files from disk, no open editors) and the task as a document. */
export function openTaskDocument(path: string, text: string): { service: TaskLanguageService; document: TextDocument } {
  const files = new FileHost(() => undefined);
  const service = createLanguageService({ readFile: (file, taskUri) => files.readFile(file, taskUri) });
  return { service, document: TextDocument.create(URI.file(path).toString(), 'yaml', 1, text) };
}
