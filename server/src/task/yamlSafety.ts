/**
 * Parsing user YAML without letting it kill the process.
 *
 * `yaml` composes nested nodes recursively. Around 800–1,000 levels it runs out of stack; it catches
 * that, but a little deeper V8 on Node 20 aborts the whole process while compiling a regular expression
 * (FatalProcessOutOfMemory in RegExpCompiler), which no try/catch can stop — a 1 KB file of `[` killed
 * the language server. So every parse of user text first measures the nesting with a linear scan and
 * refuses text nested deeper than any real file, reporting it as an ordinary YAML error.
 */
import {
  type Document,
  type DocumentOptions,
  type ParseOptions,
  parse,
  parseAllDocuments,
  parseDocument,
  type SchemaOptions,
  YAMLParseError,
} from 'yaml';

/** Far deeper than any real file, and far from where the parser's recursion gets into trouble. */
export const MAX_YAML_NESTING = 500;

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * An upper bound of the nesting depth, and where it first passes the limit. Block nesting on a line is at
 * most its indentation plus the compact `- `/`? `/`: ` indicators that open it; flow nesting is the count
 * of open `[`/`{` (quoted text inside flow collections skipped). Comment and blank lines do not count.
 */
export function yamlNestingDepth(text: string, limit = MAX_YAML_NESTING): { depth: number; offset?: number } {
  let flow = 0;
  let quote: string | undefined;
  let max = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    let index = lineStart;
    while (index < lineEnd && (text[index] === ' ' || text[index] === '\t')) index++;
    const blank = index === lineEnd || text[index] === '#' || text[index] === '\r';
    let block = index - lineStart;
    while (
      index + 1 < lineEnd &&
      (text[index] === '-' || text[index] === '?' || text[index] === ':') &&
      (text[index + 1] === ' ' || text[index + 1] === '\t')
    ) {
      block++;
      index += 2;
      while (index < lineEnd && (text[index] === ' ' || text[index] === '\t')) index++;
    }
    for (; index < lineEnd; index++) {
      const char = text[index];
      if (quote !== undefined) {
        if (char === quote) quote = undefined;
      } else if (char === '[' || char === '{') {
        flow++;
        const depth = (blank ? 0 : block) + flow;
        if (depth > max) max = depth;
        if (depth > limit) return { depth, offset: index };
      } else if ((char === ']' || char === '}') && flow > 0) flow--;
      else if ((char === '"' || char === "'") && flow > 0) quote = char;
      else if (char === '#' && (index === lineStart || text[index - 1] === ' ')) break;
    }
    const depth = (blank ? 0 : block) + flow;
    if (depth > max) max = depth;
    if (depth > limit) return { depth, offset: lineStart };
    // A quoted scalar in a flow collection may span lines, but an unterminated one must not hide the rest.
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return { depth: max };
}

function tooDeepError(text: string): YAMLParseError | undefined {
  const { offset } = yamlNestingDepth(text);
  if (offset === undefined) return undefined;
  return new YAMLParseError(
    [offset, Math.min(offset + 1, text.length)],
    'BAD_INDENT',
    `YAML nested more than ${MAX_YAML_NESTING} levels deep is not parsed (no task or values file needs that)`,
  );
}

/** `parseDocument`, except that text nested absurdly deep yields an empty document with one error. */
export function parseDocumentSafely(text: string, options: Options = {}): Document.Parsed {
  const error = tooDeepError(text);
  if (error === undefined) return parseDocument(text, options);
  const empty = parseDocument('', options);
  empty.errors.push(error);
  return empty;
}

/** `parseAllDocuments`, guarded the same way. */
export function parseAllDocumentsSafely(text: string, options: Options = {}): Document.Parsed[] {
  const error = tooDeepError(text);
  if (error === undefined) {
    const documents = parseAllDocuments(text, options);
    return Array.isArray(documents) ? documents : [];
  }
  return [parseDocumentSafely(text, options)];
}

/** `parse` (for values files), guarded the same way: too deep throws the YAML error like any other. */
export function parseSafely(text: string, options: Options = {}): unknown {
  const error = tooDeepError(text);
  if (error !== undefined) throw error;
  return parse(text, options);
}
