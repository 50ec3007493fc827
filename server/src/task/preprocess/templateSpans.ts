import type { PreSpan } from './types';

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline;
}

/** Offset just past a quoted literal opened at `start` (Go strings and runes cannot span lines). */
function skipQuoted(text: string, start: number, quote: string): number {
  for (let index = start + 1; index < text.length; index++) {
    const char = text[index];
    if (char === '\\') index++;
    else if (char === quote) return index + 1;
    else if (char === '\n') return index;
  }
  return text.length;
}

/**
 * Where the Go template actions `{{ … }}` are, good enough to mask them before YAML parsing: string,
 * raw-string and rune literals and template comments may contain `}}`. An unclosed action runs to the
 * end of its line. (The template engine reports template syntax errors; this only locates actions.)
 */
export function findTemplateSpans(text: string): PreSpan[] {
  const spans: PreSpan[] = [];
  let from = 0;
  for (let start = text.indexOf('{{', from); start !== -1; start = text.indexOf('{{', from)) {
    let end = -1;
    let index = start + 2;
    while (index < text.length) {
      const char = text[index];
      if (char === '"' || char === "'") {
        index = skipQuoted(text, index, char);
      } else if (char === '`') {
        const close = text.indexOf('`', index + 1);
        index = close === -1 ? text.length : close + 1;
      } else if (char === '/' && text[index + 1] === '*') {
        const close = text.indexOf('*/', index + 2);
        index = close === -1 ? text.length : close + 2;
      } else if (char === '}' && text[index + 1] === '}') {
        end = index + 2;
        break;
      } else {
        index++;
      }
    }
    if (end === -1) end = Math.max(lineEnd(text, start), start + 2);
    spans.push({ start, end });
    from = end;
  }
  return spans;
}

export function overlapsAny(span: PreSpan, spans: readonly PreSpan[]): boolean {
  return spans.some((other) => other.start < span.end && span.start < other.end);
}
