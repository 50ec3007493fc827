/**
 * The values the editor checks `{{ .Values.x }}` against: the selected values file (typed YAML, read
 * through the host) plus `--set` keys from the settings, which replace file keys wholesale (spec §6.3).
 */
import { parseDocumentSafely } from '../task/yamlSafety';
import { isMap } from 'yaml';
import type { LanguageSettings } from './LanguageServiceHost';

export interface SelectedValues {
  /** The values file as configured (relative to the task file, or absolute). */
  path: string;
  /** Values file content merged with `--set` items (strings). */
  values: Record<string, unknown>;
  /** Keys given by `--set`. */
  setKeys: Set<string>;
  /** The file could not be parsed as a YAML map (its keys are then unknown). */
  unreadable: boolean;
}

const parsedFiles = new Map<string, { values: Record<string, unknown>; unreadable: boolean }>();
const PARSE_CACHE_SIZE = 16;

/** Parses values-file text as yaml.v2 would (YAML 1.1); memoized by content. */
export function parseValuesText(text: string): { values: Record<string, unknown>; unreadable: boolean } {
  const cached = parsedFiles.get(text);
  if (cached) return cached;
  const document = parseDocumentSafely(text, { version: '1.1', uniqueKeys: false, prettyErrors: false });
  let result: { values: Record<string, unknown>; unreadable: boolean };
  if (document.errors.length > 0) result = { values: {}, unreadable: true };
  else if (document.contents === null) result = { values: {}, unreadable: false };
  else if (!isMap(document.contents)) result = { values: {}, unreadable: true };
  else result = { values: (document.toJS() as Record<string, unknown> | null) ?? {}, unreadable: false };
  if (parsedFiles.size >= PARSE_CACHE_SIZE) parsedFiles.delete(parsedFiles.keys().next().value!);
  parsedFiles.set(text, result);
  return result;
}

/** The selected values, or undefined when no values file is configured or it does not exist. */
export function selectValues(
  settings: LanguageSettings,
  readFile: (path: string) => string | undefined,
): SelectedValues | undefined {
  const path = settings.valuesFile;
  if (path === undefined || path === '') return undefined;
  const text = readFile(path);
  if (text === undefined) return undefined;
  const parsed = parseValuesText(text);
  const values: Record<string, unknown> = { ...parsed.values };
  const setKeys = new Set<string>();
  for (const item of settings.set ?? []) {
    const equals = item.indexOf('=');
    if (equals <= 0) continue;
    values[item.slice(0, equals)] = item.slice(equals + 1);
    setKeys.add(item.slice(0, equals));
  }
  return { path, values, setKeys, unreadable: parsed.unreadable };
}
