/**
 * Mapping a position inside a decoded YAML scalar back to the source text. The core keeps the span of
 * each value as written; a rule that finds something inside the decoded string (a shell operator in a
 * `cmd`) needs the exact source offset, which differs when the value is quoted or a block scalar.
 */
import type { Span } from '../task/model';

function occurrenceIndex(haystack: string, needle: string, before: number): number {
  let count = 0;
  for (let found = haystack.indexOf(needle); found >= 0 && found < before; found = haystack.indexOf(needle, found + 1))
    count++;
  return count;
}

function nthIndexOf(haystack: string, needle: string, occurrence: number): number {
  let found = haystack.indexOf(needle);
  for (let seen = 0; found >= 0 && seen < occurrence; seen++) found = haystack.indexOf(needle, found + 1);
  return found;
}

/**
 * The source span of `part` (offsets into `decoded`), where `decoded` is the scalar written at
 * `valueSpan` of `source`. Plain and simply quoted values map exactly; otherwise the same occurrence of
 * the same text is searched in the source, and the whole value is the fallback.
 */
export function sourceSpanOf(source: string, valueSpan: Span, decoded: string, part: Span): Span {
  const raw = source.slice(valueSpan.start, valueSpan.end);
  if (raw === decoded) return { start: valueSpan.start + part.start, end: valueSpan.start + part.end };
  const first = raw[0];
  if ((first === '"' || first === "'") && raw.slice(1, -1) === decoded) {
    return { start: valueSpan.start + 1 + part.start, end: valueSpan.start + 1 + part.end };
  }
  const needle = decoded.slice(part.start, part.end);
  if (needle === '') return valueSpan;
  const found = nthIndexOf(raw, needle, occurrenceIndex(decoded, needle, part.start));
  return found < 0 ? valueSpan : { start: valueSpan.start + found, end: valueSpan.start + found + needle.length };
}
