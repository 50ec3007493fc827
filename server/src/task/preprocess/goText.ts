/**
 * The few Go standard-library text rules acb's preprocessing depends on, reproduced exactly, because
 * JavaScript's built-ins differ in small ways that change results (e.g. `String.prototype.trim` strips
 * U+FEFF but not U+0085; `\s` in a JS regex includes `\v`, Go's RE2 `\s` does not).
 */

/** Go `unicode.IsSpace`: Latin-1 spaces plus the Unicode White_Space property. */
export function isGoSpace(codePoint: number): boolean {
  if (codePoint <= 0xff) {
    return (codePoint >= 0x09 && codePoint <= 0x0d) || codePoint === 0x20 || codePoint === 0x85 || codePoint === 0xa0;
  }
  return (
    codePoint === 0x1680 ||
    (codePoint >= 0x2000 && codePoint <= 0x200a) ||
    codePoint === 0x2028 ||
    codePoint === 0x2029 ||
    codePoint === 0x202f ||
    codePoint === 0x205f ||
    codePoint === 0x3000
  );
}

/** Offset of the first character that is not Go whitespace (text.length when there is none). */
export function goTrimStartIndex(text: string, from = 0, to = text.length): number {
  let index = from;
  // Every Go space is in the BMP, so code units suffice.
  while (index < to && isGoSpace(text.charCodeAt(index))) index++;
  return index;
}

/** Offset just after the last character that is not Go whitespace (from when there is none). */
export function goTrimEndIndex(text: string, from = 0, to = text.length): number {
  let index = to;
  while (index > from && isGoSpace(text.charCodeAt(index - 1))) index--;
  return index;
}

/** Go `strings.TrimSpace`. */
export function goTrimSpace(text: string): string {
  const start = goTrimStartIndex(text);
  return text.slice(start, goTrimEndIndex(text, start));
}

/** acb's `isAlphanumeric` (ASCII only) and the `[a-zA-Z0-9]` class of its alias-key regex. */
export function isAsciiAlphanumeric(char: string): boolean {
  if (char.length !== 1) return false;
  const code = char.charCodeAt(0);
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** `\A[a-zA-Z0-9]+\z`: acb's rule for alias names (and, inverted, for directives). */
export function isAliasName(text: string): boolean {
  return /^[A-Za-z0-9]+$/.test(text);
}

/** A line of the input, located by offsets; `end` excludes the line break. */
export interface TextLine {
  /** 0-based index among `text.split('\n')`. */
  index: number;
  start: number;
  end: number;
  text: string;
}

/** `strings.Split(text, "\n")` with offsets (every segment, including a final empty one). */
export function splitLines(text: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  for (let index = 0; ; index++) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    lines.push({ index, start, end, text: text.slice(start, end) });
    if (newline === -1) return lines;
    start = newline + 1;
  }
}

/**
 * Go `bufio.Scanner` with `ScanLines`: like `splitLines`, but a final empty segment is not a line and one
 * trailing `\r` is dropped from each line (`end` then excludes it too).
 */
export function scanLines(text: string): TextLine[] {
  const lines = splitLines(text);
  const last = lines[lines.length - 1];
  if (last !== undefined && last.text === '') lines.pop();
  return lines.map((line) =>
    line.text.endsWith('\r') ? { ...line, end: line.end - 1, text: line.text.slice(0, -1) } : line,
  );
}
