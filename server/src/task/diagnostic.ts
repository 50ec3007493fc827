import type { Span } from './model';

/** The one `source` every diagnostic of this project carries (users run several YAML tools at once). */
export const DIAGNOSTIC_SOURCE = 'acr-task';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/**
 * A problem found in a task file, located by offsets into the text as the user wrote it.
 * The pure core speaks in offsets; the language layer converts to LSP positions.
 */
export interface TaskDiagnostic {
  /** Stable code, e.g. `when-unknown-step`; asserted in tests and used by quick fixes. */
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  /** Extra data a quick fix needs (e.g. the did-you-mean replacement). */
  data?: Record<string, unknown>;
}

export function diagnostic(
  code: string,
  severity: Severity,
  message: string,
  span: Span,
  data?: Record<string, unknown>,
): TaskDiagnostic {
  return data === undefined ? { code, severity, message, span } : { code, severity, message, span, data };
}
