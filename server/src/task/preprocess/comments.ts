import { goTrimStartIndex, splitLines } from './goText';

/** acb's whole-line comment rule (`NewTemplate`): the line's Go-trimmed text starts with `#`. */
export function isCommentLine(line: string): boolean {
  const first = goTrimStartIndex(line);
  return first < line.length && line.charCodeAt(first) === 0x23; // '#'
}

/**
 * Spec §1.1: delete every whole-line comment before anything else sees the text — also inside YAML block
 * scalars, and also a line whose `#` is really an alias directive (edge cases 35, 51). Lines are split on
 * `\n` only and joined back with `\n`, so `\r` and a trailing newline survive exactly as acb keeps them.
 *
 * @returns the remaining text and, for each of its lines, the 0-based line of `text` it came from.
 */
export function stripCommentLines(text: string): { text: string; sourceLineOf: number[] } {
  const kept: string[] = [];
  const sourceLineOf: number[] = [];
  for (const line of splitLines(text)) {
    if (isCommentLine(line.text)) continue;
    kept.push(line.text);
    sourceLineOf.push(line.index);
  }
  return { text: kept.join('\n'), sourceLineOf };
}

/**
 * The editor's variant of {@link stripCommentLines}: every comment line is overwritten with spaces of the
 * same length (a trailing `\r` is kept), so every offset and line number still matches the user's text.
 * Caveat: inside a block scalar a blanked line is a whitespace line, not a missing one.
 */
export function blankCommentLines(text: string): string {
  let result = '';
  let copiedUpTo = 0;
  for (const line of splitLines(text)) {
    if (!isCommentLine(line.text)) continue;
    const end = line.text.endsWith('\r') ? line.end - 1 : line.end;
    result += text.slice(copiedUpTo, line.start) + ' '.repeat(end - line.start);
    copiedUpTo = end;
  }
  return result + text.slice(copiedUpTo);
}
