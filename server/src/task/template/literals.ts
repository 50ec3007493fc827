/**
 * Go literal syntax as templates use it: strconv.Unquote for "…", `…` and '…', and the number
 * rules of parse.newNumber (ParseInt/ParseUint with base prefixes and underscores, ParseFloat).
 */
import { utf8Decode, utf8Encode } from './values';

/** strconv.ErrSyntax's text, which Go's parser reports as is. */
const SYNTAX = 'invalid syntax';

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/**
 * One (possibly escaped) character at `s[i]` inside a literal quoted with `quote`.
 * Returns the bytes it stands for and the index after it; throws on bad syntax.
 */
function unquoteChar(s: string, i: number, quote: string): { bytes: number[]; next: number; rune: number } {
  const c = s.codePointAt(i)!;
  const ch = String.fromCodePoint(c);
  if (ch === quote && (quote === "'" || quote === '"')) throw new Error(SYNTAX);
  if (ch !== '\\') return { bytes: [...utf8Encode(ch)], next: i + ch.length, rune: c };
  const e = s[i + 1];
  if (e === undefined) throw new Error(SYNTAX);
  if (e in SIMPLE_ESCAPES) return { bytes: [SIMPLE_ESCAPES[e]], next: i + 2, rune: SIMPLE_ESCAPES[e] };
  if (e === "'" || e === '"') {
    if (e !== quote) throw new Error(SYNTAX);
    return { bytes: [e.charCodeAt(0)], next: i + 2, rune: e.charCodeAt(0) };
  }
  const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  if (hexLen > 0) {
    const digits = s.slice(i + 2, i + 2 + hexLen);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(digits)) throw new Error(SYNTAX);
    const v = parseInt(digits, 16);
    if (e === 'x') return { bytes: [v], next: i + 2 + hexLen, rune: v };
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new Error(SYNTAX);
    return { bytes: [...utf8Encode(String.fromCodePoint(v))], next: i + 2 + hexLen, rune: v };
  }
  if (e >= '0' && e <= '7') {
    const digits = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(digits)) throw new Error(SYNTAX);
    const v = parseInt(digits, 8);
    if (v > 255) throw new Error(SYNTAX);
    return { bytes: [v], next: i + 4, rune: v };
  }
  throw new Error(SYNTAX);
}

/** strconv.Unquote; throws Error('invalid syntax'). */
export function goUnquote(lit: string): string {
  const q = lit[0];
  if (lit.length < 2 || lit[lit.length - 1] !== q) throw new Error(SYNTAX);
  const body = lit.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new Error(SYNTAX);
    return body.replace(/\r/g, '');
  }
  if (q !== '"' && q !== "'") throw new Error(SYNTAX);
  if (body.includes('\n')) throw new Error(SYNTAX);
  const bytes: number[] = [];
  let i = 0;
  let count = 0;
  while (i < body.length) {
    const r = unquoteChar(body, i, q);
    bytes.push(...r.bytes);
    i = r.next;
    count++;
  }
  if (q === "'" && count !== 1) throw new Error(SYNTAX);
  return utf8Decode(bytes);
}

/** The rune of a character constant such as 'a' or '\n'; throws on bad syntax. */
export function charConstant(lit: string): number {
  const r = unquoteChar(lit, 1, "'");
  if (lit.slice(r.next) !== "'") throw new Error(`malformed character constant: ${lit}`);
  return r.rune;
}

/** strconv's underscoreOK: underscores only between digits (or after a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1].toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1].toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64); undefined on syntax or range error. */
export function parseGoInteger(text: string, unsigned: boolean): bigint | undefined {
  let s = text;
  let neg = false;
  if (!unsigned && (s[0] === '+' || s[0] === '-')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  let digits = s;
  if (s[0] === '0' && s.length > 1) {
    const p = s[1].toLowerCase();
    if (p === 'x' || p === 'b' || p === 'o') {
      base = p === 'x' ? 16 : p === 'b' ? 2 : 8;
      digits = s.slice(2);
    } else {
      base = 8;
      digits = s.slice(1);
    }
  }
  if (digits.includes('_') && !underscoreOK(text)) return undefined;
  digits = digits.replace(/_/g, '');
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base]!;
  if (!valid.test(digits)) return undefined;
  let v = 0n;
  for (const d of digits) v = v * BigInt(base) + BigInt(parseInt(d, 16));
  if (neg) v = -v;
  if (unsigned ? v > UINT64_MAX : v < INT64_MIN || v > INT64_MAX) return undefined;
  return v;
}

/** strconv.ParseFloat(s, 64) for the forms the lexer can produce; undefined when invalid. */
export function parseGoFloat(text: string): number | undefined {
  if (text.includes('_') && !underscoreOK(text)) return undefined;
  const s = text.replace(/_/g, '');
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (hex && (hex[2] + hex[3]).length > 0) {
    const mant = parseInt(hex[2] + hex[3] || '0', 16) / 16 ** hex[3].length;
    const v = mant * 2 ** Number(hex[4]);
    return hex[1] === '-' ? -v : v;
  }
  return undefined;
}

export interface NumberValue {
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: number;
  uint: number;
  float: number;
}

/** parse.newNumber: what a number literal can be; throws Error with Go's message when it is none. */
export function parseNumberLiteral(text: string, kind: 'number' | 'charConstant' | 'complex'): NumberValue {
  const n: NumberValue = { isInt: false, isUint: false, isFloat: false, isComplex: false, int: 0, uint: 0, float: 0 };
  if (kind === 'charConstant') {
    const r = charConstant(text);
    return { ...n, isInt: true, isUint: true, isFloat: true, int: r, uint: r, float: r };
  }
  if (kind === 'complex' || text.endsWith('i')) {
    // Complex constants are legal Go but meaningless in task files; say so instead of guessing.
    throw new Error(`complex number constants are not supported: ${text}`);
  }
  const u = parseGoInteger(text, true);
  if (u !== undefined) {
    n.isUint = true;
    n.uint = Number(u);
  }
  const i = parseGoInteger(text, false);
  if (i !== undefined) {
    n.isInt = true;
    n.int = Number(i);
    if (i === 0n) {
      n.isUint = true;
      n.uint = 0;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float = n.int;
  } else if (n.isUint) {
    n.isFloat = true;
    n.float = n.uint;
  } else {
    const f = parseGoFloat(text);
    if (f !== undefined && Number.isFinite(f)) {
      if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${JSON.stringify(text)}`);
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        n.isInt = true;
        n.int = f;
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint = f;
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
  return n;
}
