/** Reading and writing the task definitions file of a folder ({@link DEFINITIONS_FILE_NAME}). */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { DEFINITIONS_FILE_NAME } from '../../task/definitions/model';
import { parseDefinitions, type ParsedDefinitions } from '../../task/definitions/parseDefinitions';

export interface DefinitionsFile {
  /** Absolute path of the file. */
  path: string;
  /** Folder the file is in: contexts are relative to it. */
  folder: string;
  /** Empty when the file does not exist yet. */
  text: string;
  exists: boolean;
  parsed: ParsedDefinitions;
}

export function definitionsPath(folder: string): string {
  return join(folder, DEFINITIONS_FILE_NAME);
}

/** Reads `<folder>/.acr-tasks.yaml`; a missing file reads as an empty one. */
export async function readDefinitionsFile(folder: string): Promise<DefinitionsFile> {
  const path = definitionsPath(folder);
  let text = '';
  let exists = true;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    exists = false;
  }
  return { path, folder, text, exists, parsed: parseDefinitions(text) };
}

/** Replaces the file's content atomically (a watcher never reads half a file). */
export async function writeDefinitionsFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
