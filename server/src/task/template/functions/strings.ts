/**
 * Sprig v2.22 string functions (strings.go and the goutils/xstrings helpers it wraps).
 * Go strings are byte sequences: trunc/substr/abbrev cut at byte offsets, like acb does.
 */
import { formatV, sprintf } from '../gofmt';
import { goTimeString } from '../gotime';
import { quoteString } from '../numbers';
import { type GoTime, type GoValue, Typed, sliceItems, stringMap, stringSlice } from '../values';
import { CallError, type CallEnv, type FuncSpec, spec } from './types';
import {
  byteSlice,
  byteLen,
  goSplit,
  isGoSpace,
  trimSpace,
  trimCutset,
  title,
  abbreviateFull,
  wrapCustom,
  mapRunes,
  initials,
  swapCase,
  words,
  indent,
  replaceAll,
} from './goStrings';

/** Sprig's strval: strings as is, Stringers (time.Time) via String(), everything else fmt %v. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Typed && v.type === 'time.Time') return goTimeString(v.value as GoTime);
  return formatV(v);
}

/** Sprig's strslice (toStrings, join, sortAlpha): nil elements are dropped. */
export function strslice(v: GoValue): string[] {
  const items = sliceItems(v);
  if (items !== undefined) return items.filter((i) => i !== null && i !== undefined).map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

function randomString(env: CallEnv, count: number, alphabet: string): string {
  if (count < 0) throw new CallError(`Requested random string length ${count} is less than 0.`);
  const bytes = env.randomBytes(count);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

const s = (a: GoValue): string => a as string;
const n = (a: GoValue): number => a as number;

export const STRING_FUNCTIONS: [string, FuncSpec][] = [
  [
    'abbrev',
    spec('abbrev WIDTH STRING', 'Truncates with "..." to at most WIDTH bytes.', ['int', 'string'], ([w, x]) =>
      n(w) < 4 ? s(x) : abbreviateFull(s(x), 0, n(w)),
    ),
  ],
  [
    'abbrevboth',
    spec('abbrevboth LEFT RIGHT STRING', 'Abbreviates on both sides.', ['int', 'int', 'string'], ([l, r, x]) =>
      n(r) < 4 || (n(l) > 0 && n(r) < 7) ? s(x) : abbreviateFull(s(x), n(l), n(r)),
    ),
  ],
  [
    'trunc',
    spec(
      'trunc N STRING',
      'First N bytes of STRING (Sprig v2: a negative N is an error).',
      ['int', 'string'],
      ([c, x]) => (byteLen(s(x)) <= n(c) ? s(x) : byteSlice(s(x), 0, n(c))),
    ),
  ],
  ['trim', spec('trim STRING', 'Removes leading and trailing white space.', ['string'], ([x]) => trimSpace(s(x)))],
  ['upper', spec('upper STRING', 'Upper case.', ['string'], ([x]) => mapRunes(s(x), true))],
  ['lower', spec('lower STRING', 'Lower case.', ['string'], ([x]) => mapRunes(s(x), false))],
  ['title', spec('title STRING', 'Upper-cases the first letter of each word.', ['string'], ([x]) => title(s(x)))],
  [
    'untitle',
    spec('untitle STRING', 'Lower-cases the first letter.', ['string'], ([x]) => {
      const c = Array.from(s(x));
      return c.length ? c[0].toLowerCase() + c.slice(1).join('') : '';
    }),
  ],
  [
    'substr',
    spec(
      'substr START END STRING',
      'Bytes START..END of STRING (END < 0: to the end).',
      ['int', 'int', 'string'],
      ([a, b, x]) => {
        if (n(a) < 0) return byteSlice(s(x), 0, n(b));
        if (n(b) < 0 || n(b) > byteLen(s(x))) return byteSlice(s(x), n(a));
        return byteSlice(s(x), n(a), n(b));
      },
    ),
  ],
  [
    'repeat',
    spec('repeat COUNT STRING', 'STRING repeated COUNT times.', ['int', 'string'], ([c, x]) => {
      if (n(c) < 0) throw new CallError('strings: negative Repeat count');
      return s(x).repeat(n(c));
    }),
  ],
  [
    'trimall',
    spec('trimall CUTSET STRING', 'Deprecated alias of trimAll.', ['string', 'string'], ([a, b]) =>
      trimCutset(s(b), s(a)),
    ),
  ],
  [
    'trimAll',
    spec('trimAll CUTSET STRING', 'Removes the characters of CUTSET from both ends.', ['string', 'string'], ([a, b]) =>
      trimCutset(s(b), s(a)),
    ),
  ],
  [
    'trimSuffix',
    spec('trimSuffix SUFFIX STRING', 'Removes SUFFIX once.', ['string', 'string'], ([a, b]) =>
      s(b).endsWith(s(a)) ? s(b).slice(0, s(b).length - s(a).length) : s(b),
    ),
  ],
  [
    'trimPrefix',
    spec('trimPrefix PREFIX STRING', 'Removes PREFIX once.', ['string', 'string'], ([a, b]) =>
      s(b).startsWith(s(a)) ? s(b).slice(s(a).length) : s(b),
    ),
  ],
  [
    'nospace',
    spec('nospace STRING', 'Removes all white space.', ['string'], ([x]) =>
      Array.from(s(x))
        .filter((c) => !isGoSpace(c))
        .join(''),
    ),
  ],
  ['initials', spec('initials STRING', 'First letter of each word.', ['string'], ([x]) => initials(s(x)))],
  [
    'randAlphaNum',
    spec('randAlphaNum N', 'N random letters and digits.', ['int'], ([c], env) =>
      randomString(env, n(c), ALPHA + DIGITS),
    ),
  ],
  ['randAlpha', spec('randAlpha N', 'N random letters.', ['int'], ([c], env) => randomString(env, n(c), ALPHA))],
  [
    'randAscii',
    spec('randAscii N', 'N random printable ASCII characters.', ['int'], ([c], env) => randomString(env, n(c), ASCII)),
  ],
  ['randNumeric', spec('randNumeric N', 'N random digits.', ['int'], ([c], env) => randomString(env, n(c), DIGITS))],
  ['swapcase', spec('swapcase STRING', 'Swaps upper and lower case.', ['string'], ([x]) => swapCase(s(x)))],
  [
    'shuffle',
    spec('shuffle STRING', 'Characters in random order.', ['string'], ([x], env) => {
      const c = Array.from(s(x));
      const r = env.randomBytes(c.length);
      for (let i = c.length - 1; i > 0; i--) {
        const j = r[i] % (i + 1);
        [c[i], c[j]] = [c[j], c[i]];
      }
      return c.join('');
    }),
  ],
  [
    'snakecase',
    spec('snakecase STRING', 'snake_case.', ['string'], ([x]) =>
      words(s(x))
        .map((w) => w.toLowerCase())
        .join('_'),
    ),
  ],
  [
    'kebabcase',
    spec('kebabcase STRING', 'kebab-case.', ['string'], ([x]) =>
      words(s(x))
        .map((w) => w.toLowerCase())
        .join('-'),
    ),
  ],
  [
    'camelcase',
    spec('camelcase STRING', 'CamelCase (from snake_case).', ['string'], ([x]) =>
      s(x)
        .split('_')
        .map((w) => (w ? w[0].toUpperCase() + w.slice(1) : ''))
        .join(''),
    ),
  ],
  [
    'wrap',
    spec('wrap WIDTH STRING', 'Wraps text at WIDTH columns.', ['int', 'string'], ([w, x]) =>
      wrapCustom(s(x), n(w), '\n', false),
    ),
  ],
  [
    'wrapWith',
    spec(
      'wrapWith WIDTH SEP STRING',
      'Wraps text at WIDTH columns with SEP as the line break.',
      ['int', 'string', 'string'],
      ([w, sep, x]) => wrapCustom(s(x), n(w), s(sep), true),
    ),
  ],
  [
    'contains',
    spec('contains SUBSTR STRING', 'Whether STRING contains SUBSTR.', ['string', 'string'], ([a, b]) =>
      s(b).includes(s(a)),
    ),
  ],
  [
    'hasPrefix',
    spec('hasPrefix PREFIX STRING', 'Whether STRING starts with PREFIX.', ['string', 'string'], ([a, b]) =>
      s(b).startsWith(s(a)),
    ),
  ],
  [
    'hasSuffix',
    spec('hasSuffix SUFFIX STRING', 'Whether STRING ends with SUFFIX.', ['string', 'string'], ([a, b]) =>
      s(b).endsWith(s(a)),
    ),
  ],
  [
    'quote',
    spec(
      'quote X …',
      'Each argument in double quotes (Go escaping), space separated; nil is skipped.',
      [],
      (a) =>
        a
          .filter((x) => x !== null)
          .map((x) => quoteString(strval(x)))
          .join(' '),
      { variadic: 'any' },
    ),
  ],
  [
    'squote',
    spec(
      'squote X …',
      'Each argument in single quotes, space separated; nil is skipped.',
      [],
      (a) =>
        a
          .filter((x) => x !== null)
          .map((x) => `'${formatV(x)}'`)
          .join(' '),
      { variadic: 'any' },
    ),
  ],
  [
    'cat',
    spec(
      'cat X …',
      'Arguments joined with spaces; nil is skipped.',
      [],
      (a) => {
        const v = a.filter((x) => x !== null);
        return sprintf(v.map(() => '%v').join(' '), v);
      },
      { variadic: 'any' },
    ),
  ],
  [
    'indent',
    spec('indent N STRING', 'Indents every line by N spaces.', ['int', 'string'], ([c, x]) => indent(n(c), s(x))),
  ],
  [
    'nindent',
    spec(
      'nindent N STRING',
      'A newline, then indent N STRING.',
      ['int', 'string'],
      ([c, x]) => '\n' + indent(n(c), s(x)),
    ),
  ],
  [
    'replace',
    spec('replace OLD NEW STRING', 'Replaces every OLD with NEW.', ['string', 'string', 'string'], ([o, nw, x]) =>
      replaceAll(s(x), s(o), s(nw)),
    ),
  ],
  [
    'plural',
    spec('plural ONE MANY COUNT', 'ONE when COUNT is 1, else MANY.', ['string', 'string', 'int'], ([one, many, c]) =>
      n(c) === 1 ? s(one) : s(many),
    ),
  ],
  ['toString', spec('toString X', 'X as a string (fmt %v for non-strings).', ['any'], ([x]) => strval(x))],
  [
    'split',
    spec('split SEP STRING', 'Splits into a map with keys _0, _1, …', ['string', 'string'], ([sep, x]) =>
      stringMap(Object.fromEntries(goSplit(s(x), s(sep)).map((p, i) => [`_${i}`, p]))),
    ),
  ],
  [
    'splitList',
    spec('splitList SEP STRING', 'Splits into a list of strings.', ['string', 'string'], ([sep, x]) =>
      stringSlice(goSplit(s(x), s(sep))),
    ),
  ],
  [
    'splitn',
    spec(
      'splitn SEP N STRING',
      'Splits into at most N parts, as a map _0, _1, …',
      ['string', 'int', 'string'],
      ([sep, c, x]) => stringMap(Object.fromEntries(goSplit(s(x), s(sep), n(c)).map((p, i) => [`_${i}`, p]))),
    ),
  ],
  [
    'toStrings',
    spec('toStrings LIST', 'Every element converted to a string.', ['any'], ([x]) => stringSlice(strslice(x))),
  ],
  [
    'join',
    spec('join SEP LIST', 'Elements joined with SEP.', ['string', 'any'], ([sep, x]) => strslice(x).join(s(sep))),
  ],
  [
    'sortAlpha',
    spec('sortAlpha LIST', 'Strings sorted alphabetically.', ['any'], ([x]) =>
      sliceItems(x) ? stringSlice(strslice(x).sort()) : stringSlice([strval(x)]),
    ),
  ],
];
