import { goTrimEndIndex, goTrimStartIndex, splitLines } from './goText';
import { isCommentLine } from './comments';
import type { PreSpan } from './types';

const VERSION_KEY = 'version';
/** The first version whose files get alias processing (compared as a plain string, spec §1.3). */
export const ALIAS_MODE_MIN_VERSION = 'v1.1.0';

function isQuote(code: number): boolean {
  return code === 0x22 || code === 0x27; // " '
}

/** [start, end) of `text[from, to)` without surrounding Go whitespace, then without surrounding quotes. */
function trimSpaceThenQuotes(text: string, from: number, to: number): PreSpan {
  let start = goTrimStartIndex(text, from, to);
  let end = goTrimEndIndex(text, start, to);
  while (start < end && isQuote(text.charCodeAt(start))) start++;
  while (end > start && isQuote(text.charCodeAt(end - 1))) end--;
  return { start, end };
}

/**
 * Spec §1.2 (`FindVersion`): the first line that — at column 0, after any leading quote characters —
 * starts with `version` and whose text before its first `:` is exactly `version` (whitespace and quotes
 * trimmed). Blank and comment lines are skipped; non-matching lines do not stop the scan, so a
 * `version:` after `steps:` still counts, while an indented one never does.
 *
 * @returns the value after the colon (whitespace-, then quote-trimmed) and where it is in `text`.
 */
export function sniffVersion(text: string): { value: string; span: PreSpan } | undefined {
  for (const line of splitLines(text)) {
    if (goTrimStartIndex(line.text) === line.text.length || isCommentLine(line.text)) continue;
    let keyStart = line.start;
    while (keyStart < line.end && isQuote(text.charCodeAt(keyStart))) keyStart++;
    if (!text.startsWith(VERSION_KEY, keyStart)) continue;
    const colon = text.indexOf(':', keyStart);
    if (colon === -1 || colon >= line.end) continue;
    const key = trimSpaceThenQuotes(text, keyStart, colon);
    if (text.slice(key.start, key.end) !== VERSION_KEY) continue;
    const span = trimSpaceThenQuotes(text, colon + 1, line.end);
    return { value: text.slice(span.start, span.end), span };
  }
  return undefined;
}

/**
 * Spec §1.3: alias mode is on iff the sniffed version is `>= "v1.1.0"` as a byte-wise string comparison
 * (so `V1.1.0` is off, `v2.0.0` and an unrendered `{{…}}` are on). Comparing UTF-16 code units gives the
 * same order as UTF-8 bytes here because the other operand is ASCII.
 */
export function aliasModeEnabled(sniffed: string | undefined): boolean {
  return sniffed !== undefined && sniffed >= ALIAS_MODE_MIN_VERSION;
}
