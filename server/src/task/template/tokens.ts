/** Token kinds and character classes of Go's template lexer (text/template/parse/lex.go). */

export type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'comment'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'EOF'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

export const KEYWORDS: ReadonlySet<ItemType> = new Set<ItemType>([
  'block',
  'break',
  'continue',
  'dot',
  'define',
  'else',
  'end',
  'if',
  'nil',
  'range',
  'template',
  'with',
]);

export const KEY: Record<string, ItemType> = {
  '.': 'dot',
  block: 'block',
  break: 'break',
  continue: 'continue',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  range: 'range',
  nil: 'nil',
  template: 'template',
  with: 'with',
};

export interface Item {
  type: ItemType;
  /** Start offset of the item. */
  pos: number;
  /** End offset (for errors: where the lexer stopped). */
  end: number;
  /** The item's text (for errors: the message). */
  val: string;
  /** 1-based line of `pos`. */
  line: number;
}

export const isSpace = (r: number): boolean => r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
const ALNUM = /^[\p{L}\p{Nd}_]$/u;
export const isAlphaNumeric = (r: number): boolean => {
  if (r < 0x80) return (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) || r === 0x5f;
  return r >= 0 && ALNUM.test(String.fromCodePoint(r));
};

export const hasLeftTrimMarker = (s: string, at: number): boolean =>
  s.charCodeAt(at) === 0x2d && isSpace(s.charCodeAt(at + 1));
export const hasRightTrimMarker = (s: string, at: number): boolean =>
  isSpace(s.charCodeAt(at)) && s.charCodeAt(at + 1) === 0x2d;

/** Go's %#U of a rune, e.g. U+0029 ')'. */
export function runeDescription(r: number): string {
  const hex = 'U+' + r.toString(16).toUpperCase().padStart(4, '0');
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(String.fromCodePoint(r)) ? `${hex} '${String.fromCodePoint(r)}'` : hex;
}
