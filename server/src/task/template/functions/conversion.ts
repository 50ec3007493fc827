/**
 * Sprig v2.22 numbers (numeric.go), defaults/JSON (defaults.go), reflection (reflect.go),
 * encodings and hashes (strings.go, crypto.go) — plus ACR's own b64enc.
 */
import { sha1 } from '@noble/hashes/legacy';
import { sha256 } from '@noble/hashes/sha2';
import { formatGoTime } from '../gotime';
import { formatFloat } from '../numbers';
import { parseGoFloat, parseGoInteger } from '../literals';
import {
  type GoTime,
  type GoValue,
  Typed,
  float64,
  int64,
  kindOf,
  mapEntries,
  numberOf,
  sliceItems,
  sortedKeys,
  typeName,
  utf8Decode,
  utf8Encode,
} from '../values';
import { formatV } from '../gofmt';
import { isEmptyValue, reflectKindName, deepEqual } from './collections';
import { CallError, type FuncSpec, spec } from './types';

/** Sprig's toInt64 (v2: strings parse in base 10, failures are 0). */
export function toInt64(v: GoValue): number {
  if (typeof v === 'string') {
    const i = /^[+-]?[0-9]+$/.test(v) ? parseGoInteger(v, false) : undefined;
    return i === undefined ? 0 : Number(i);
  }
  switch (kindOf(v)) {
    case 'int':
    case 'uint':
      return numberOf(v);
    case 'float': {
      const f = numberOf(v);
      return Number.isFinite(f) ? Math.trunc(f) : -(2 ** 63);
    }
    case 'bool':
      return v === true ? 1 : 0;
    default:
      return 0;
  }
}

export function toInt(v: GoValue): number {
  return toInt64(v);
}

/** Sprig's toFloat64. */
export function toFloat64(v: GoValue): number {
  if (typeof v === 'string') {
    if (/^[+-]?(inf|infinity)$/i.test(v)) return v.startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(v)) return NaN;
    return parseGoFloat(v) ?? 0;
  }
  const k = kindOf(v);
  if (k === 'int' || k === 'uint' || k === 'float') return numberOf(v);
  if (k === 'bool') return v === true ? 1 : 0;
  return 0;
}

/** int64 arithmetic with Go's wrap-around. */
function wrap64(x: bigint): Typed {
  return int64(Number(BigInt.asIntN(64, x)));
}
const big = (v: GoValue): bigint => BigInt(toInt64(v));

function round(a: GoValue, p: number, roundOn: number): number {
  const val = toFloat64(a);
  const pow = 10 ** p;
  const digit = pow * val;
  const frac = digit - Math.trunc(digit);
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

// ---- encoding/json (Marshal): sorted keys, HTML-safe escaping, Go's float format ----
function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&' || cp === 0x2028 || cp === 0x2029) {
      out += '\\u' + cp.toString(16).padStart(4, '0');
    } else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new CallError(`json: unsupported value: ${formatFloat(f, 'g', -1)}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return formatFloat(f, 'e', -1).replace(/e([+-])0(\d)$/, 'e$1$2');
  return formatFloat(f, 'f', -1);
}

/** json.Marshal (indent = '' for compact) / json.MarshalIndent(v, "", indent). */
export function goJson(v: GoValue, indent = '', depth = 0): string {
  const nl = indent ? '\n' + indent.repeat(depth + 1) : '';
  const close = indent ? '\n' + indent.repeat(depth) : '';
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Typed && v.type === 'time.Time') {
    return jsonString(formatGoTime(v.value as GoTime, '2006-01-02T15:04:05.999999999Z07:00'));
  }
  const k = kindOf(v);
  if (k === 'int' || k === 'uint') return String(numberOf(v));
  if (k === 'float') return jsonFloat(numberOf(v));
  const items = sliceItems(v);
  if (items) {
    if (items.length === 0) return '[]';
    return '[' + items.map((i) => nl + goJson(i, indent, depth + 1)).join(',') + close + ']';
  }
  const entries = mapEntries(v);
  if (entries) {
    const keys = sortedKeys(entries);
    if (keys.length === 0) return '{}';
    const sep = indent ? ': ' : ':';
    return (
      '{' +
      keys.map((key) => nl + jsonString(key) + sep + goJson(entries[key], indent, depth + 1)).join(',') +
      close +
      '}'
    );
  }
  return 'null';
}

function jsonOrEmpty(v: GoValue, indent: string): string {
  try {
    return goJson(v, indent);
  } catch (e) {
    if (e instanceof CallError) return ''; // Sprig v2 ignores Marshal errors
    throw e;
  }
}

// ---- base64 / base32 (encoding/base64 StdEncoding, encoding/base32 StdEncoding) ----
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

/** base64.StdEncoding.DecodeString; throws CallError with Go's "illegal base64 data at input byte N". */
function base64Decode(s: string): Uint8Array {
  const chars: { c: string; at: number }[] = [];
  for (let i = 0; i < s.length; i++) if (s[i] !== '\n' && s[i] !== '\r') chars.push({ c: s[i], at: i });
  const out: number[] = [];
  for (let q = 0; q < chars.length; q += 4) {
    const quad = chars.slice(q, q + 4);
    const vals: number[] = [];
    for (let j = 0; j < quad.length; j++) {
      const { c, at } = quad[j];
      if (c === '=') {
        const pads = quad.slice(j);
        if (j < 2 || pads.some((p) => p.c !== '=') || quad.length !== 4 || q + 4 !== chars.length) {
          throw new CallError(`illegal base64 data at input byte ${at}`);
        }
        break;
      }
      const v = B64.indexOf(c);
      if (v < 0) throw new CallError(`illegal base64 data at input byte ${at}`);
      vals.push(v);
    }
    if (quad.length < 4) throw new CallError(`illegal base64 data at input byte ${quad[0].at}`);
    const n = (vals[0] << 18) | (vals[1] << 12) | ((vals[2] ?? 0) << 6) | (vals[3] ?? 0);
    out.push((n >> 16) & 255);
    if (vals.length > 2) out.push((n >> 8) & 255);
    if (vals.length > 3) out.push(n & 255);
  }
  return Uint8Array.from(out);
}

function base32Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 5) {
    const chunk = Array.from(bytes.slice(i, i + 5));
    let bits = 0n;
    for (let j = 0; j < 5; j++) bits = (bits << 8n) | BigInt(chunk[j] ?? 0);
    const outChars = [2, 4, 5, 7, 8][chunk.length - 1];
    for (let j = 0; j < 8; j++) out += j < outChars ? B32[Number((bits >> BigInt(35 - 5 * j)) & 31n)] : '=';
  }
  return out;
}

function base32Decode(s: string): Uint8Array {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 8 !== 0)
    throw new CallError(`illegal base32 data at input byte ${clean.length - (clean.length % 8)}`);
  const out: number[] = [];
  for (let i = 0; i < clean.length; i += 8) {
    const block = clean.slice(i, i + 8);
    const data = block.replace(/=+$/, '');
    let bits = 0n;
    for (let j = 0; j < 8; j++) {
      const v = j < data.length ? B32.indexOf(data[j]) : 0;
      if (v < 0) throw new CallError(`illegal base32 data at input byte ${i + j}`);
      bits = (bits << 5n) | BigInt(v);
    }
    const nBytes = { 8: 5, 7: 4, 5: 3, 4: 2, 2: 1 }[data.length] ?? -1;
    if (nBytes < 0) throw new CallError(`illegal base32 data at input byte ${i + data.length}`);
    for (let j = 0; j < nBytes; j++) out.push(Number((bits >> BigInt(32 - 8 * j)) & 255n));
  }
  return Uint8Array.from(out);
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const x of bytes) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** reflect.Value.String(): the string itself for strings, `<T Value>` for everything else. */
function reflectString(v: GoValue): string {
  return typeof v === 'string' ? v : `<${typeName(v)} Value>`;
}

/** Go's reflect Kind name for kindOf / kindIs. */
function kindName(v: GoValue): string {
  return v === null || v === undefined ? 'invalid' : reflectKindName(v);
}

const str = (v: GoValue): string => v as string;

export const CONVERSION_FUNCTIONS: [string, FuncSpec][] = [
  [
    'atoi',
    spec('atoi STRING', 'STRING as an int (0 when it is not a number).', ['string'], ([x]) => {
      const i = /^[+-]?[0-9]+$/.test(str(x)) ? parseGoInteger(str(x), false) : undefined;
      return i === undefined ? 0 : Number(i);
    }),
  ],
  [
    'int64',
    spec('int64 X', 'X converted to int64 (strings in base 10; failures are 0).', ['any'], ([x]) => int64(toInt64(x))),
  ],
  ['int', spec('int X', 'X converted to int.', ['any'], ([x]) => toInt(x))],
  ['float64', spec('float64 X', 'X converted to float64.', ['any'], ([x]) => float64(toFloat64(x)))],
  [
    'toDecimal',
    spec('toDecimal X', 'Octal text (e.g. "0777") converted to a decimal int64.', ['any'], ([x]) => {
      const t = formatV(x);
      return int64(/^[+-]?[0-7]+$/.test(t) ? Number.parseInt(t, 8) : 0);
    }),
  ],
  ['add1', spec('add1 X', 'X + 1 (int64).', ['any'], ([x]) => wrap64(big(x) + 1n))],
  [
    'add',
    spec('add X …', 'Sum of the arguments (int64).', [], (a) => wrap64(a.reduce<bigint>((s, x) => s + big(x), 0n)), {
      variadic: 'any',
    }),
  ],
  ['sub', spec('sub X Y', 'X - Y (int64).', ['any', 'any'], ([a, b]) => wrap64(big(a) - big(b)))],
  [
    'div',
    spec('div X Y', 'X / Y, integer division (int64).', ['any', 'any'], ([a, b]) => {
      if (big(b) === 0n) throw new CallError('runtime error: integer divide by zero');
      return wrap64(big(a) / big(b));
    }),
  ],
  [
    'mod',
    spec('mod X Y', 'X % Y (int64).', ['any', 'any'], ([a, b]) => {
      if (big(b) === 0n) throw new CallError('runtime error: integer divide by zero');
      return wrap64(big(a) % big(b));
    }),
  ],
  [
    'mul',
    spec(
      'mul X Y …',
      'Product of the arguments (int64).',
      ['any'],
      (a) => wrap64(a.slice(1).reduce<bigint>((p, x) => p * big(x), big(a[0]))),
      { variadic: 'any' },
    ),
  ],
  [
    'max',
    spec('max X Y …', 'Largest argument (int64).', ['any'], (a) => int64(Math.max(...a.map(toInt64))), {
      variadic: 'any',
    }),
  ],
  [
    'biggest',
    spec('biggest X Y …', 'Alias of max.', ['any'], (a) => int64(Math.max(...a.map(toInt64))), { variadic: 'any' }),
  ],
  [
    'min',
    spec('min X Y …', 'Smallest argument (int64).', ['any'], (a) => int64(Math.min(...a.map(toInt64))), {
      variadic: 'any',
    }),
  ],
  ['ceil', spec('ceil X', 'Smallest whole number >= X (float64).', ['any'], ([x]) => float64(Math.ceil(toFloat64(x))))],
  [
    'floor',
    spec('floor X', 'Largest whole number <= X (float64).', ['any'], ([x]) => float64(Math.floor(toFloat64(x)))),
  ],
  [
    'round',
    spec(
      'round X PLACES [HALF]',
      'X rounded to PLACES decimals (float64).',
      ['any', 'int'],
      (a) => float64(round(a[0], a[1] as number, a.length > 2 ? numberOf(a[2]) : 0.5)),
      { variadic: 'float64' },
    ),
  ],
  [
    'default',
    spec(
      'default DEFAULT X',
      'X, or DEFAULT when X is empty (missing, "", 0, false, empty list/map).',
      ['any'],
      (a) => {
        const given = a.slice(1);
        return given.length === 0 || isEmptyValue(given[0]) ? a[0]! : given[0]!;
      },
      { variadic: 'any', resultIsInterface: true },
    ),
  ],
  [
    'empty',
    spec('empty X', 'Whether X is empty (missing, "", 0, false, empty list/map).', ['any'], ([x]) => isEmptyValue(x)),
  ],
  [
    'coalesce',
    spec('coalesce X …', 'The first non-empty argument.', [], (a) => a.find((x) => !isEmptyValue(x)) ?? null, {
      variadic: 'any',
      resultIsInterface: true,
    }),
  ],
  [
    'ternary',
    spec(
      'ternary IFTRUE IFFALSE COND',
      'IFTRUE when COND is true, else IFFALSE.',
      ['any', 'any', 'bool'],
      ([t, f, c]) => (c === true ? t! : f!),
      { resultIsInterface: true },
    ),
  ],
  ['toJson', spec('toJson X', 'X as compact JSON (keys sorted, <>& escaped).', ['any'], ([x]) => jsonOrEmpty(x, ''))],
  ['toPrettyJson', spec('toPrettyJson X', 'X as indented JSON.', ['any'], ([x]) => jsonOrEmpty(x, '  '))],
  ['typeOf', spec('typeOf X', "X's Go type, e.g. string, int, []interface {}.", ['any'], ([x]) => typeName(x))],
  ['typeIs', spec('typeIs TYPE X', "Whether X's Go type is TYPE.", ['string', 'any'], ([t, x]) => typeName(x) === t)],
  [
    'typeIsLike',
    spec(
      'typeIsLike TYPE X',
      "Whether X's Go type is TYPE or *TYPE.",
      ['string', 'any'],
      ([t, x]) => typeName(x) === t || '*' + typeName(x) === t,
    ),
  ],
  ['kindOf', spec('kindOf X', "X's Go kind, e.g. string, int, slice, map.", ['any'], ([x]) => kindName(x))],
  ['kindIs', spec('kindIs KIND X', "Whether X's Go kind is KIND.", ['string', 'any'], ([k, x]) => kindName(x) === k)],
  [
    'deepEqual',
    spec('deepEqual X Y', 'Whether X and Y are deeply equal (types included).', ['any', 'any'], ([a, b]) =>
      deepEqual(a, b),
    ),
  ],
  [
    'b64enc',
    spec(
      'b64enc X',
      'Base64 of X (ACR\'s version: nil gives "", non-strings encode their reflect text such as <int Value>; use toString first).',
      ['any'],
      ([x]) => (x === null ? '' : base64Encode(utf8Encode(reflectString(x)))),
    ),
  ],
  [
    'b64dec',
    spec('b64dec STRING', 'Decodes Base64 (an invalid input gives the error text).', ['string'], ([x]) => {
      try {
        return utf8Decode(base64Decode(str(x)));
      } catch (e) {
        if (e instanceof CallError) return e.message;
        throw e;
      }
    }),
  ],
  ['b32enc', spec('b32enc STRING', 'Base32 of STRING.', ['string'], ([x]) => base32Encode(utf8Encode(str(x))))],
  [
    'b32dec',
    spec('b32dec STRING', 'Decodes Base32 (an invalid input gives the error text).', ['string'], ([x]) => {
      try {
        return utf8Decode(base32Decode(str(x)));
      } catch (e) {
        if (e instanceof CallError) return e.message;
        throw e;
      }
    }),
  ],
  ['sha1sum', spec('sha1sum STRING', 'Hex SHA-1 of STRING.', ['string'], ([x]) => hex(sha1(utf8Encode(str(x)))))],
  [
    'sha256sum',
    spec('sha256sum STRING', 'Hex SHA-256 of STRING.', ['string'], ([x]) => hex(sha256(utf8Encode(str(x))))),
  ],
  [
    'adler32sum',
    spec('adler32sum STRING', 'Adler-32 checksum of STRING, in decimal.', ['string'], ([x]) =>
      String(adler32(utf8Encode(str(x)))),
    ),
  ],
];
