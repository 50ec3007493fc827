/** Errors of the template engine, located in the template text. */
import { utf8Length } from './values';

/** Half-open range [start, end) of offsets into the template text. */
export interface TemplateSpan {
  start: number;
  end: number;
}

/** A parse or execution error with Go's message (`template: task:3: function "foo" not defined`). */
export interface TemplateError {
  message: string;
  span: TemplateSpan;
}

/** Internal: aborts parsing or execution, like Go's panic(error) inside the template package. */
export class TemplateFailure extends Error {
  constructor(readonly error: TemplateError) {
    super(error.message);
  }
}

/**
 * Go's ErrorContext location "line:col": 1-based line, column = UTF-8 bytes since the start of
 * the line (on the first line Go reports the byte offset itself, which is the same number).
 */
export function goLocation(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf('\n');
  const line = before.split('\n').length;
  const col = utf8Length(before.slice(lastNewline + 1));
  return `${line}:${col}`;
}

/** A span that is never empty, so editors can show it. */
export function visibleSpan(start: number, end: number, textLength: number): TemplateSpan {
  const s = Math.max(0, Math.min(start, textLength));
  let e = Math.max(s, Math.min(end, textLength));
  if (e === s && s < textLength) e = s + 1;
  return { start: s, end: e };
}
