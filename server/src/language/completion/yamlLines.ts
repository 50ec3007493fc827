/**
 * A line-and-indentation reading of YAML block structure, for completion while the file is half typed
 * (the YAML parser gives up or misplaces nodes on exactly the lines being written). It answers one
 * question: which mapping or sequence does a column on a given line belong to, as a YAML path.
 */
import type { YamlPath } from '../../task/yamlPath';

export interface LineShape {
  /** Blank, whitespace-only or a whole-line comment (ACR deletes those before parsing). */
  blank: boolean;
  /** Column of the first non-space character. */
  indent: number;
  /** Columns of the leading `- ` sequence markers, outermost first. */
  dashes: number[];
  /** Column where the content after the markers starts. */
  contentColumn: number;
  /** The `key` of a `key:` line at contentColumn. */
  key?: string;
  /** Text after `key:` (trimmed), '' when the value continues on the next lines. */
  value?: string;
}

const KEY = /^([A-Za-z_$][\w.$-]*|"[^"]*"|'[^']*')[ \t]*:(?:[ \t]+(.*)|$)/;

/** The shape of one line of text. */
export function shapeOf(line: string): LineShape {
  const trimmed = line.trimStart();
  const indent = line.length - trimmed.length;
  if (trimmed === '' || trimmed.startsWith('#')) return { blank: true, indent, dashes: [], contentColumn: indent };
  const dashes: number[] = [];
  let column = indent;
  while (
    line[column] === '-' &&
    (column + 1 === line.length || line[column + 1] === ' ' || line[column + 1] === '\t')
  ) {
    dashes.push(column);
    column++;
    while (line[column] === ' ' || line[column] === '\t') column++;
  }
  const shape: LineShape = { blank: false, indent, dashes, contentColumn: column };
  const match = KEY.exec(line.slice(column));
  if (match) {
    shape.key = match[1].replace(/^["']|["']$/g, '');
    // Drop a trailing ` # comment` (a fixed two-character search: `\s+#` would backtrack on long space runs).
    const value = match[2] ?? '';
    const comment = value.search(/[ \t]#/);
    shape.value = (comment < 0 ? value : value.slice(0, comment)).trim();
  }
  return shape;
}

/** Reads lines lazily and remembers their shapes. */
export class YamlLines {
  readonly lines: string[];
  private readonly shapes = new Map<number, LineShape>();

  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
  }

  /**
   * Indentation of a line without reading its shape, or -1 for a blank or comment line: the walks
   * below skip the many deeper lines of a large file on this alone.
   */
  indent(line: number): number {
    const text = this.lines[line] ?? '';
    let column = 0;
    while (column < text.length && (text[column] === ' ' || text[column] === '\t')) column++;
    return column === text.length || text[column] === '#' ? -1 : column;
  }

  shape(line: number): LineShape {
    let shape = this.shapes.get(line);
    if (!shape) {
      shape = shapeOf(this.lines[line] ?? '');
      this.shapes.set(line, shape);
    }
    return shape;
  }
}

/** What encloses a position, found by walking up through less indented lines. */
export interface Enclosing {
  /** Path of the innermost mapping (for a key) or sequence (for an item). */
  path: YamlPath;
  /** Keys already written in that mapping, above and below (only for mappings). */
  siblings: Set<string>;
}

/** A block sequence whose items are marked at `dashColumn`, holding line `line`: its path. */
function sequencePath(lines: YamlLines, line: number, dashColumn: number): YamlPath | undefined {
  let index = 0;
  for (let current = line - 1; current >= 0; current--) {
    const indent = lines.indent(current);
    if (indent < 0 || indent > dashColumn) continue;
    const shape = lines.shape(current);
    if (shape.indent === dashColumn && shape.dashes[0] === dashColumn) {
      index++;
      continue;
    }
    if (shape.key === undefined || shape.value !== '') return undefined;
    const parent = mappingPath(lines, current, shape.contentColumn, false);
    return parent && [...parent.path, shape.key, index];
  }
  return undefined;
}

/**
 * The mapping whose keys sit at `column`, holding line `line` (whose own key, if any, is at that
 * column): its path and (when `collect`) the keys already written in it.
 */
export function mappingPath(lines: YamlLines, line: number, column: number, collect = true): Enclosing | undefined {
  const siblings = new Set<string>();
  const own = lines.shape(line);
  if (collect) {
    if (own.key !== undefined && own.contentColumn === column) siblings.add(own.key);
    collectSiblingsBelow(lines, line, column, siblings);
  }
  // The mapping may start on this very line as a sequence item (`- key: …`).
  let itemDash = own.contentColumn === column ? own.dashes[own.dashes.length - 1] : undefined;
  let itemLine = line;
  for (let current = line - 1; itemDash === undefined && current >= 0; current--) {
    const indent = lines.indent(current);
    if (indent < 0 || indent > column) continue;
    const shape = lines.shape(current);
    // `key:` followed by its items at the key's own column (`when:` / `- a`).
    if (shape.indent === column && shape.dashes[0] === column) continue;
    if (shape.contentColumn === column) {
      if (shape.key !== undefined && collect) siblings.add(shape.key);
      if (shape.dashes.length > 0) {
        itemDash = shape.dashes[shape.dashes.length - 1];
        itemLine = current;
      }
      continue;
    }
    if (shape.key === undefined || shape.contentColumn > column) return undefined;
    if (shape.value !== '' && !/^[|>]/.test(shape.value ?? '')) return undefined;
    const parent = mappingPath(lines, current, shape.contentColumn, false);
    return parent && { path: [...parent.path, shape.key], siblings };
  }
  if (itemDash === undefined) return column === 0 ? { path: [], siblings } : undefined;
  const sequence = sequencePath(lines, itemLine, itemDash);
  return sequence && { path: sequence, siblings };
}

function collectSiblingsBelow(lines: YamlLines, line: number, column: number, siblings: Set<string>): void {
  for (let current = line + 1; current < lines.lines.length; current++) {
    const indent = lines.indent(current);
    if (indent < 0 || indent > column) continue;
    const shape = lines.shape(current);
    if (shape.indent < column) return;
    if (shape.dashes.length > 0) continue; // items of a sibling key's list written at the key's column
    if (shape.key !== undefined) siblings.add(shape.key);
  }
}

/** The sequence whose items are marked at `dashColumn` on line `line`: its path (ending in the item index). */
export function itemPath(lines: YamlLines, line: number, dashColumn: number): YamlPath | undefined {
  return sequencePath(lines, line, dashColumn);
}
