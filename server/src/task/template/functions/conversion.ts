/**
 * Sprig v2.22 numbers (numeric.go), defaults/JSON (defaults.go), reflection (reflect.go),
 * encodings and hashes (strings.go, crypto.go) — plus ACR's own b64enc.
 */
import { sha1 } from '@noble/hashes/legacy';
import { sha256 } from '@noble/hashes/sha2';
import { parseGoFloat, parseGoInteger } from '../literals';
import { type GoValue, Typed, float64, int64, kindOf, numberOf, typeName, utf8Decode, utf8Encode } from '../values';
import { formatV } from '../gofmt';
import { isEmptyValue, reflectKindName, deepEqual } from './collections';
import { CallError, type FuncSpec, spec } from './types';
import { jsonOrEmpty, base64Encode, base64Decode, base32Encode, base32Decode } from './encoding';

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
