/**
 * Where the cursor is, in terms completion can act on: inside a `{{ }}` action, after an alias
 * directive, on a key, on a value or on a list item of a known kind of mapping. Read from the text
 * lines (indentation and `- ` markers), so it works while the file is half typed.
 */
import type { Span } from '../../task/model';
import type { YamlPath } from '../../task/yamlPath';
import { kindOfMappingPath } from '../keySites';
import type { KeyKind } from '../schemaKeys';
import { itemPath, mappingPath, YamlLines } from './yamlLines';

interface SiteBase {
  /** The word being typed (from its start to its end, the cursor somewhere inside). */
  word: Span;
  prefix: string;
}

export type CompletionSite =
  | (SiteBase & { type: 'empty-file' })
  | (SiteBase & { type: 'template'; expression: string })
  | (SiteBase & { type: 'alias'; directiveOffset: number })
  | (SiteBase & {
      type: 'key';
      kind: KeyKind;
      path: YamlPath;
      siblings: Set<string>;
      column: number;
      /** The line starts a new list item (`- |`). */
      newItem: boolean;
      /** The key is already followed by `:` (only its name may be replaced). */
      hasColon: boolean;
    })
  | (SiteBase & { type: 'value'; kind: KeyKind; path: YamlPath; key: string; before: string })
  | (SiteBase & { type: 'item'; kind: KeyKind; path: YamlPath; key: string; quoted: boolean })
  | (SiteBase & { type: 'none' });

const WORD_CHAR = /[\w.$/:-]/;

function wordAround(line: string, column: number, lineStart: number, chars = /[\w-]/): { word: Span; prefix: string } {
  let start = column;
  while (start > 0 && chars.test(line[start - 1])) start--;
  let end = column;
  while (end < line.length && chars.test(line[end])) end++;
  return { word: { start: lineStart + start, end: lineStart + end }, prefix: line.slice(start, column) };
}

function lineNumberAt(text: string, offset: number): number {
  let line = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** The identifier-like word around `offset`. */
export function wordAt(text: string, offset: number): Span {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  const line = text.slice(lineStart, newline < 0 ? text.length : newline);
  return wordAround(line, offset - lineStart, lineStart).word;
}

/** The `{{ … ` action the cursor is in (no `}}` between its start and the cursor), on this line. */
function templateExpression(before: string): string | undefined {
  const open = before.lastIndexOf('{{');
  if (open < 0) return undefined;
  const inside = before.slice(open + 2);
  return inside.includes('}}') ? undefined : inside;
}

function isEmptyFile(text: string): boolean {
  // No line whose first non-blank character starts content.
  return !/^[ \t]*[^\s#]/m.test(text);
}

/** The completion site at `offset` of `text`; `directive` is the alias directive when alias mode is on. */
export function completionSiteAt(
  text: string,
  offset: number,
  directive: string | undefined,
  readLines: () => YamlLines = () => new YamlLines(text),
): CompletionSite {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  const line = text.slice(lineStart, newline < 0 ? text.length : newline).replace(/\r$/, '');
  const column = offset - lineStart;
  const before = line.slice(0, column);
  if (isEmptyFile(text)) return { type: 'empty-file', ...wordAround(line, column, lineStart) };
  if (before.trimStart().startsWith('#')) return { type: 'none', word: { start: offset, end: offset }, prefix: '' };

  const expression = templateExpression(before);
  if (expression !== undefined) return { type: 'template', expression, ...wordAround(line, column, lineStart, /[\w]/) };

  if (directive !== undefined) {
    const alias = wordAround(line, column, lineStart, /[A-Za-z0-9]/);
    const directiveAt = alias.word.start - lineStart - directive.length;
    if (
      directiveAt >= 0 &&
      line.slice(directiveAt, directiveAt + directive.length) === directive &&
      line.slice(directiveAt - directive.length, directiveAt) !== directive
    ) {
      return {
        type: 'alias',
        directiveOffset: lineStart + directiveAt,
        word: { start: lineStart + directiveAt, end: alias.word.end },
        prefix: directive + alias.prefix,
      };
    }
  }

  const lines = readLines();
  const lineIndex = lineNumberAt(text, lineStart);
  const shape = lines.shape(lineIndex);
  const none: CompletionSite = { type: 'none', word: { start: offset, end: offset }, prefix: '' };

  // `key: value|` — a value, or an item of a flow list `key: [a, |`.
  if (shape.key !== undefined && column > shape.contentColumn + shape.key.length) {
    const colon = line.indexOf(':', shape.contentColumn + shape.key.length);
    if (colon < 0 || column <= colon) return none;
    const enclosing = mappingPath(lines, lineIndex, shape.contentColumn, false);
    const kind = enclosing && kindOfMappingPath(enclosing.path);
    if (!enclosing || !kind) return none;
    const valueBefore = line.slice(colon + 1, column).trimStart();
    if (valueBefore.startsWith('[')) {
      const wordStart = wordAround(line, column, lineStart).word.start - lineStart;
      const quoted = wordStart > 0 && (line[wordStart - 1] === '"' || line[wordStart - 1] === "'");
      return {
        type: 'item',
        kind,
        path: [...enclosing.path, shape.key],
        key: shape.key,
        quoted,
        ...wordAround(line, column, lineStart),
      };
    }
    const word = wordAround(line, column, lineStart, WORD_CHAR);
    // The value starts after the colon: `cache:|` must not replace the key.
    const valueStart = lineStart + colon + 1;
    if (word.word.start < valueStart) {
      word.word.start = valueStart;
      word.prefix = line.slice(colon + 1, column);
    }
    return { type: 'value', kind, path: [...enclosing.path, shape.key], key: shape.key, before: valueBefore, ...word };
  }

  // A key being typed (possibly as a new list item), or a scalar list item.
  const rest = line.slice(shape.contentColumn, column);
  if (!/^["']?[\w-]*$/.test(rest)) return none;
  const word = wordAround(line, column, lineStart);
  const itemDash = shape.dashes[shape.dashes.length - 1];
  if (itemDash !== undefined) {
    const sequence = itemPath(lines, lineIndex, itemDash);
    const listKey = sequence?.[sequence.length - 2];
    const holder = sequence?.slice(0, -2);
    const holderKind = holder && kindOfMappingPath(holder);
    if (sequence && typeof listKey === 'string' && holderKind) {
      const itemKind = kindOfMappingPath(sequence);
      if (itemKind) {
        const siblings = mappingPath(lines, lineIndex, shape.contentColumn)?.siblings ?? new Set<string>();
        if (shape.key !== undefined) siblings.delete(shape.key);
        const hasColon = shape.key !== undefined;
        return {
          type: 'key',
          kind: itemKind,
          path: sequence,
          siblings,
          column: shape.contentColumn,
          newItem: true,
          hasColon,
          ...word,
        };
      }
      return {
        type: 'item',
        kind: holderKind,
        path: sequence.slice(0, -1),
        key: listKey,
        quoted: rest.startsWith('"') || rest.startsWith("'"),
        ...word,
      };
    }
    return none;
  }
  const keyColumn = shape.blank ? column : shape.contentColumn;
  const enclosing = mappingPath(lines, lineIndex, keyColumn);
  const kind = enclosing && kindOfMappingPath(enclosing.path);
  if (!enclosing || !kind) return none;
  if (shape.key !== undefined) enclosing.siblings.delete(shape.key);
  const hasColon = shape.key !== undefined;
  return {
    type: 'key',
    kind,
    path: enclosing.path,
    siblings: enclosing.siblings,
    column: keyColumn,
    newItem: false,
    hasColon,
    ...word,
  };
}
