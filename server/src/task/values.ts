/**
 * Values for `{{ .Values.x }}` (spec §6.3): a values file (typed YAML), `--set K=V` overrides that are
 * always strings and replace top-level keys wholesale, and the JSON forms `.ValuesJSON` / `.RunJSON`.
 */
import { diagnostic, type TaskDiagnostic } from './diagnostic';
import type { RunVariables } from './model';

export interface MergedValues {
  values: Record<string, unknown>;
  problems: TaskDiagnostic[];
}

const NOWHERE = { start: 0, end: 0 };

function containsMapping(value: unknown): boolean {
  if (Array.isArray(value)) return value.some((item) => containsMapping(item) || isPlainObject(item));
  return isPlainObject(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Merges the values file with `--set` items, reporting acb's errors (§8 items 3–4). */
export function mergeValues(
  fileValues: Record<string, unknown> | undefined,
  setItems: readonly string[] = [],
): MergedValues {
  const values: Record<string, unknown> = { ...(fileValues ?? {}) };
  const problems: TaskDiagnostic[] = [];
  for (const item of setItems) {
    const equals = item.indexOf('=');
    if (equals <= 0) {
      problems.push(
        diagnostic('set-invalid', 'error', `--set '${item}' must be KEY=VALUE with a non-empty key`, NOWHERE),
      );
      continue;
    }
    // acb does not split on commas and keeps dotted keys literal (edge cases 40, §6.3).
    values[item.slice(0, equals)] = item.slice(equals + 1);
  }
  for (const [key, value] of Object.entries(values)) {
    if (isPlainObject(value) || containsMapping(value)) {
      problems.push(
        diagnostic(
          'values-mapping',
          'error',
          `failed to serialize Values: '${key}' holds a mapping, which ACR cannot render (use flat keys or override it with --set)`,
          NOWHERE,
          { key },
        ),
      );
    }
  }
  return { values, problems };
}

/** Go's json.Marshal escapes these for HTML safety; keep the bytes ACR would produce. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Single-quotes text for a shell when it has characters outside acb's safe set. */
export function shellQuoteIfNeeded(text: string): string {
  if (/^[\w^@=+%,:./-]*$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The data a task template sees (spec §6.2). */
export function templateData(
  run: RunVariables,
  values: Record<string, unknown>,
  secrets: Record<string, string>,
): Record<string, unknown> {
  return {
    Run: run,
    Build: { ID: run.ID },
    Values: values,
    Secrets: secrets,
    ValuesJSON: shellQuoteIfNeeded(goJson(sortKeys(values))),
    RunJSON: shellQuoteIfNeeded(goJson(sortKeys({ ...run }))),
  };
}
