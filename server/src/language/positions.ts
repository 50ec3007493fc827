/**
 * Offsets (the pure task core's currency) ↔ LSP positions and ranges. Every span the core reports is an
 * offset into the text as the user wrote it, so the document's own converter is exact.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import type { Span } from '../task/model';

/** The LSP range of a span, clamped to the document. */
export function toRange(document: TextDocument, span: Span): Range {
  const length = document.getText().length;
  const start = Math.max(0, Math.min(span.start, length));
  const end = Math.max(start, Math.min(span.end, length));
  return { start: document.positionAt(start), end: document.positionAt(end) };
}

/** The span of an LSP range. */
export function toSpan(document: TextDocument, range: Range): Span {
  const start = document.offsetAt(range.start);
  return { start, end: Math.max(start, document.offsetAt(range.end)) };
}

/** True when `offset` lies inside `span` or touches its end (a cursor right after a word is "on" it). */
export function touches(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** True when two spans share at least one character. */
export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Start and end offsets of the line holding `offset` (end excludes the line break). */
export function lineAt(text: string, offset: number): Span {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  let end = newline < 0 ? text.length : newline;
  if (end > start && text[end - 1] === '\r') end--;
  return { start, end };
}

/** Equality of two positions. */
export function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}
