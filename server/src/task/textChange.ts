/**
 * Edits between two versions of a task file's text, and what an analysis of the older text still says
 * about the newer one. An editor re-analyses after every keystroke; most keystrokes change a few
 * characters inside one line, and parts of the analysis provably survive such a change once their
 * offsets are moved.
 */
import type { Span } from './model';
import { goTrimStartIndex } from './preprocess/goText';
import type { TemplateAnalysis } from './template';

/** One contiguous replacement: `before[start, oldEnd)` became `after[start, newEnd)`. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The smallest single replacement turning `before` into `after` (common prefix and suffix kept). */
export function changeBetween(before: string, after: string): TextChange {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/** `span` in the newer text: unchanged before the change, moved by its length difference after it. */
export function spanThroughChange<T extends Span>(span: T, change: TextChange): T {
  if (span.start < change.oldEnd) return span;
  const delta = change.newEnd - change.oldEnd;
  return { ...span, start: span.start + delta, end: span.end + delta };
}

/**
 * True when `change` happens after the first non-blank character of its line (Go's trimming, as the
 * comment-line rule uses): the line keeps its indentation and its first character, so it stays a
 * comment line or a non-comment line.
 */
export function keepsLineStart(before: string, change: TextChange): boolean {
  const lineStart = before.lastIndexOf('\n', change.start - 1) + 1;
  const newline = before.indexOf('\n', lineStart);
  const lineEnd = newline < 0 ? before.length : newline;
  return change.start > goTrimStartIndex(before, lineStart, lineEnd);
}

function touches(spans: readonly Span[], change: TextChange): boolean {
  return spans.some((span) => span.start <= change.oldEnd + 1 && change.start - 1 <= span.end);
}

/**
 * The template analysis of `before`, moved onto `after`, when `change` provably leaves it as it was:
 * within one line (so the line numbers in messages hold), after the line's first character (comment
 * lines stay what they were), away from every action and error, with no brace written, removed or
 * brought next to another. Otherwise undefined (analyse `after` afresh).
 */
export function templateThroughChange(
  before: string,
  after: string,
  change: TextChange,
  template: TemplateAnalysis,
): TemplateAnalysis | undefined {
  const removed = before.slice(change.start, change.oldEnd);
  const inserted = after.slice(change.start, change.newEnd);
  if (/[\r\n{}]/.test(removed + inserted)) return undefined;
  const around = (text: string, end: number) => text.slice(Math.max(0, change.start - 1), end + 1);
  if (/\{\{|\}\}/.test(around(before, change.oldEnd)) || /\{\{|\}\}/.test(around(after, change.newEnd)))
    return undefined;
  if (!keepsLineStart(before, change)) return undefined;
  if (
    touches(
      template.errors.map((error) => error.span),
      change,
    )
  )
    return undefined;
  if (
    touches(
      template.actions.map((action) => action.span),
      change,
    )
  )
    return undefined;
  return {
    actions: template.actions.map((action) =>
      action.span.start < change.oldEnd
        ? action
        : {
            ...action,
            span: spanThroughChange(action.span, change),
            fields: action.fields.map((field) => ({ ...field, span: spanThroughChange(field.span, change) })),
            functions: action.functions.map((use) => ({ ...use, span: spanThroughChange(use.span, change) })),
          },
    ),
    errors: template.errors.map((error) => ({ ...error, span: spanThroughChange(error.span, change) })),
  };
}
