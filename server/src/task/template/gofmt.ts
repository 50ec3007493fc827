/**
 * Go's fmt package as far as templates reach it: Sprint/Sprintln (how `{{ x }}` and `print` show a
 * value) and Sprintf (`printf`), including Go's error notation for bad verbs (`%!d(string=x)`),
 * missing (`%!s(MISSING)`) and extra (`%!(EXTRA int=1)`) arguments.
 */
import { goTimeString } from './gotime';
import { canBackquote, formatFloat, formatFloatV, quoteRune, quoteString } from './numbers';
import {
  type GoTime,
  type GoValue,
  Typed,
  kindOf,
  mapEntries,
  numberOf,
  sliceItems,
  sortedKeys,
  typeName,
  utf8Encode,
} from './values';

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

const NO_FLAGS: Flags = { plus: false, minus: false, sharp: false, space: false, zero: false };

/** %v of one value with no flags. */
export function formatV(v: GoValue): string {
  return formatArg(v, 'v', NO_FLAGS);
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: GoValue[]): string {
  let out = '';
  args.forEach((arg, i) => {
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && typeof args[i - 1] !== 'string') out += ' ';
    out += formatV(arg);
  });
  return out;
}

/** fmt.Sprintln: always spaces between operands, newline at the end. */
export function sprintln(args: GoValue[]): string {
  return args.map(formatV).join(' ') + '\n';
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, f: Flags, zeroAllowed = true): string {
  if (f.width === undefined) return s;
  const n = f.width - runeCount(s);
  if (n <= 0) return s;
  if (f.minus) return s + ' '.repeat(n);
  return (f.zero && zeroAllowed ? '0' : ' ').repeat(n) + s;
}

function badVerb(verb: string, v: GoValue): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatV(v)})`;
}

function fmtInteger(n: number, verb: string, f: Flags): string {
  if (verb === 'c') return pad(String.fromCodePoint(validRune(n)), f);
  if (verb === 'q') return pad(quoteRune(n, f.plus), f);
  if (verb === 'U') {
    let s = 'U+' + Math.abs(n).toString(16).toUpperCase().padStart(4, '0');
    if (f.sharp && n >= 0 && n <= 0x10ffff) s += ` '${String.fromCodePoint(validRune(n))}'`;
    return pad(s, f);
  }
  const neg = n < 0;
  const big = BigInt(Math.trunc(Math.abs(n)));
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'b':
      digits = big.toString(2);
      if (f.sharp) prefix = '0b';
      break;
    case 'o':
    case 'O':
      digits = big.toString(8);
      if (verb === 'O') prefix = '0o';
      else if (f.sharp && digits !== '0') prefix = '0';
      break;
    case 'x':
    case 'X':
      digits = big.toString(16);
      if (verb === 'X') digits = digits.toUpperCase();
      if (f.sharp) prefix = verb === 'x' ? '0x' : '0X';
      break;
    default:
      digits = big.toString(10);
  }
  if (f.prec !== undefined) {
    if (f.prec === 0 && big === 0n) digits = '';
    digits = digits.padStart(f.prec, '0');
  } else if (f.zero && !f.minus && f.width !== undefined) {
    const signLen = neg || f.plus || f.space ? 1 : 0;
    digits = digits.padStart(f.width - signLen - prefix.length, '0');
  }
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  return pad(sign + prefix + digits, { ...f, zero: false });
}

function validRune(n: number): number {
  return n < 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff) ? 0xfffd : n;
}

function fmtFloatVerb(x: number, verb: string, f: Flags): string {
  let s: string;
  const prec = f.prec ?? -1;
  switch (verb) {
    case 'v':
      s = formatFloat(x, 'g', prec);
      break;
    case 'e':
    case 'E':
      s = formatFloat(x, verb, f.prec ?? 6);
      break;
    case 'f':
    case 'F':
      s = formatFloat(x, 'f', f.prec ?? 6);
      break;
    case 'g':
    case 'G':
      s = formatFloat(x, verb, prec);
      break;
    case 'x':
    case 'X':
      s = hexFloat(x, f.prec, verb === 'X');
      break;
    default:
      s = formatFloat(x, 'g', prec);
  }
  if (f.sharp && verb !== 'v' && !s.includes('.') && !/[eE]/.test(s) && Number.isFinite(x)) s += '.';
  if (!Number.isFinite(x)) {
    if (Number.isNaN(x)) s = f.plus ? '+NaN' : f.space ? ' NaN' : 'NaN';
    else if (!f.plus && s.startsWith('+')) s = f.space ? ' ' + s.slice(1) : s.slice(1);
    return pad(s, f, false);
  }
  if (f.plus && !s.startsWith('-')) s = '+' + s;
  else if (f.space && !s.startsWith('-')) s = ' ' + s;
  if (f.zero && !f.minus && f.width !== undefined && s.length < f.width) {
    const signed = /^[+\- ]/.test(s);
    const sign = signed ? s[0] : '';
    const body = signed ? s.slice(1) : s;
    return sign + body.padStart(f.width - sign.length, '0');
  }
  return pad(s, f);
}

/** strconv 'x' format: -1.5 → -0x1.8p+00 (shortest mantissa unless a precision is given). */
function hexFloat(x: number, prec: number | undefined, upper: boolean): string {
  if (!Number.isFinite(x)) return formatFloat(x, 'g', -1);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  let a = Math.abs(x);
  let exp = 0;
  if (a !== 0) {
    exp = Math.floor(Math.log2(a));
    if (2 ** exp > a) exp--;
    if (2 ** (exp + 1) <= a) exp++;
    a = a / 2 ** exp;
  }
  let frac = '';
  let m = a - Math.floor(a);
  for (let i = 0; i < 13 && m > 0; i++) {
    m *= 16;
    frac += Math.floor(m).toString(16);
    m -= Math.floor(m);
  }
  if (prec !== undefined) frac = frac.slice(0, prec).padEnd(prec, '0');
  let s = `${sign}0x${Math.floor(a)}${frac ? '.' + frac : ''}p${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  if (upper) s = s.toUpperCase();
  return s;
}

function hexBytes(bytes: Uint8Array, upper: boolean, f: Flags): string {
  const parts: string[] = [];
  for (const b of bytes) {
    let h = b.toString(16).padStart(2, '0');
    if (upper) h = h.toUpperCase();
    parts.push(h);
  }
  const prefix = f.sharp ? (upper ? '0X' : '0x') : '';
  if (f.space) return parts.map((p) => prefix + p).join(' ');
  return prefix + parts.join('');
}

function fmtString(s: string, verb: string, f: Flags): string {
  if (f.prec !== undefined && verb !== 'x' && verb !== 'X') s = Array.from(s).slice(0, f.prec).join('');
  switch (verb) {
    case 'v':
    case 's':
      return pad(s, f);
    case 'q':
      return pad(f.sharp && canBackquote(s) ? '`' + s + '`' : quoteString(s, f.plus), f);
    default: {
      let bytes = utf8Encode(s);
      if (f.prec !== undefined) bytes = bytes.slice(0, f.prec);
      return pad(hexBytes(bytes, verb === 'X', f), f);
    }
  }
}

const STRING_VERBS = 'vsxXq';
const INT_VERBS = 'bcdoOqxXUv';
const FLOAT_VERBS = 'bgGxXfFeEv';

function goSyntax(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return quoteString(v);
  const items = sliceItems(v);
  if (items) return `${typeName(v)}{${items.map(goSyntax).join(', ')}}`;
  const entries = mapEntries(v);
  if (entries) {
    const body = sortedKeys(entries).map((k) => `${quoteString(k)}:${goSyntax(entries[k])}`);
    return `${typeName(v)}{${body.join(', ')}}`;
  }
  if (kindOf(v) === 'float') {
    const s = formatFloatV(numberOf(v));
    return /[.eEN]/.test(s) || s.includes('Inf') ? s : s + '.0';
  }
  return formatV(v);
}

/** Formats one operand for one verb, as fmt's printArg does. */
export function formatArg(v: GoValue, verb: string, f: Flags): string {
  if (verb === 'T') return pad(typeName(v), f);
  if (v === null || v === undefined) {
    return verb === 'v' ? pad('<nil>', f) : badVerb(verb, v);
  }
  if (verb === 'v' && f.sharp) return pad(goSyntax(v), f);
  const kind = kindOf(v);
  switch (kind) {
    case 'bool':
      return verb === 't' || verb === 'v' ? pad(v ? 'true' : 'false', f) : badVerb(verb, v);
    case 'int':
    case 'uint':
      return INT_VERBS.includes(verb) ? fmtInteger(numberOf(v), verb, f) : badVerb(verb, v);
    case 'float':
      return FLOAT_VERBS.includes(verb) ? fmtFloatVerb(numberOf(v), verb, f) : badVerb(verb, v);
    case 'string':
      return STRING_VERBS.includes(verb) ? fmtString(v as string, verb, f) : badVerb(verb, v);
    case 'slice': {
      const items = sliceItems(v)!;
      return '[' + items.map((item) => formatArg(item, verb, f)).join(' ') + ']';
    }
    case 'map': {
      const entries = mapEntries(v)!;
      const body = sortedKeys(entries).map((k) => `${formatArg(k, verb, f)}:${formatArg(entries[k], verb, f)}`);
      return 'map[' + body.join(' ') + ']';
    }
    case 'struct':
      if (v instanceof Typed && v.type === 'time.Time') {
        const text = goTimeString(v.value as GoTime);
        return STRING_VERBS.includes(verb) ? fmtString(text, verb, f) : badVerb(verb, v);
      }
      return pad(`{${typeName(v)}}`, f);
    default:
      return pad(`%!${verb}(${typeName(v)})`, f);
  }
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: GoValue[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  let i = 0;
  const end = format.length;
  const readNum = (): number | undefined => {
    const m = /^[0-9]+/.exec(format.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return Number(m[0]);
  };
  // An explicit argument index "[n]" (1-based); returns false when it is malformed.
  const readIndex = (): boolean => {
    if (format[i] !== '[') return true;
    reordered = true;
    const close = format.indexOf(']', i);
    const n = close < 0 ? NaN : Number(format.slice(i + 1, close));
    if (!Number.isInteger(n) || n < 1 || n > args.length) {
      i = close < 0 ? end : close + 1;
      return false;
    }
    argNum = n - 1;
    i = close + 1;
    return true;
  };
  while (i < end) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f: Flags = { ...NO_FLAGS };
    for (; i < end; i++) {
      const c = format[i];
      if (c === '#') f.sharp = true;
      else if (c === '0') f.zero = true;
      else if (c === '+') f.plus = true;
      else if (c === '-') f.minus = true;
      else if (c === ' ') f.space = true;
      else break;
    }
    let goodIndex = readIndex();
    if (format[i] === '*') {
      i++;
      const w = args[argNum++];
      if (kindOf(w ?? null) === 'int') {
        f.width = numberOf(w);
        if (f.width < 0) {
          f.minus = true;
          f.width = -f.width;
        }
      } else out += '%!(BADWIDTH)';
      goodIndex = readIndex() && goodIndex;
    } else {
      f.width = readNum();
    }
    if (format[i] === '.') {
      i++;
      goodIndex = readIndex() && goodIndex;
      if (format[i] === '*') {
        i++;
        const p = args[argNum++];
        if (kindOf(p ?? null) === 'int' && numberOf(p) >= 0) f.prec = numberOf(p);
        else out += '%!(BADPREC)';
        goodIndex = readIndex() && goodIndex;
      } else {
        f.prec = readNum() ?? 0;
      }
    }
    if (f.minus) f.zero = false;
    goodIndex = readIndex() && goodIndex;
    if (i >= end) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!goodIndex) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argNum++]!;
    if (verb === 'w') out += formatArg(arg, 'v', f);
    else out += formatArg(arg, verb, f);
  }
  if (!reordered && argNum < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argNum)
        .map((a) => (a == null ? '<nil>' : `${typeName(a)}=${formatV(a)}`))
        .join(', ') +
      ')';
  }
  return out;
}
