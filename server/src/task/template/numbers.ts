/**
 * Go's strconv number formatting (FormatFloat, FormatInt) and quoting (Quote), which decide how
 * every number and `%q` string looks in a rendered task file.
 *
 * JS's own `toFixed`/`toExponential` round ties away from zero, Go rounds the exact binary value
 * half-to-even, so fixed-precision formats work on the exact decimal expansion of the double.
 */

/** Exact decimal expansion of a finite non-negative double: value = 0.digits × 10^point. */
function exactDecimal(x: number): { digits: string; point: number } {
  if (x === 0) return { digits: '0', point: 1 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (exp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = exp - 1075;
  }
  // value = mant × 2^e2
  let digits: string;
  let point: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    point = digits.length;
  } else {
    // mant × 5^-e2 / 10^-e2
    digits = (mant * 5n ** BigInt(-e2)).toString();
    point = digits.length + e2;
  }
  digits = digits.replace(/0+$/, '') || '0';
  return { digits, point };
}

/** Shortest digits that round-trip (Go and JS agree on these). */
function shortestDecimal(x: number): { digits: string; point: number } {
  if (x === 0) return { digits: '0', point: 1 };
  const [mant, exp] = x.toExponential().split('e') as [string, string];
  return { digits: mant.replace('.', ''), point: Number(exp) + 1 };
}

/** Rounds 0.digits × 10^point to `n` significant digits, half to even on the exact expansion. */
function roundDigits(d: { digits: string; point: number }, n: number): { digits: string; point: number } {
  if (n < 0) return d;
  if (d.digits.length <= n) return { digits: d.digits.padEnd(n, '0'), point: d.point };
  const keep = d.digits.slice(0, n);
  const rest = d.digits.slice(n);
  const first = rest.charCodeAt(0) - 48;
  const roundUp =
    first > 5 || (first === 5 && (/[1-9]/.test(rest.slice(1)) || (n > 0 && (keep.charCodeAt(n - 1) - 48) % 2 === 1)));
  if (!roundUp) return { digits: keep, point: d.point };
  if (n === 0) return { digits: '1', point: d.point + 1 };
  const bumped = (BigInt(keep) + 1n).toString();
  if (bumped.length > n) return { digits: bumped.slice(0, n), point: d.point + 1 };
  return { digits: bumped, point: d.point };
}

function fmtE(d: { digits: string; point: number }, prec: number, upper: boolean): string {
  const digits = d.digits === '0' ? '0'.repeat(Math.max(prec + 1, 1)) : d.digits;
  let s = digits[0];
  const frac = prec < 0 ? digits.slice(1) : digits.slice(1, prec + 1).padEnd(prec, '0');
  if (frac.length > 0) s += '.' + frac;
  const exp = d.digits === '0' ? 0 : d.point - 1;
  const abs = Math.abs(exp);
  return s + (upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + (abs < 10 ? '0' : '') + abs;
}

function fmtF(d: { digits: string; point: number }, prec: number): string {
  let intPart: string;
  if (d.point <= 0) intPart = '0';
  else intPart = d.digits.slice(0, d.point).padEnd(d.point, '0');
  if (d.digits === '0') intPart = '0';
  let frac = '';
  const fracDigits = prec < 0 ? Math.max(d.digits.length - d.point, 0) : prec;
  for (let i = 0; i < fracDigits; i++) {
    const idx = d.point + i;
    frac += idx >= 0 && idx < d.digits.length && d.digits !== '0' ? d.digits[idx] : '0';
  }
  return frac.length > 0 ? `${intPart}.${frac}` : intPart;
}

/** strconv.FormatFloat(x, fmt, prec, 64). prec -1 means the shortest representation. */
export function formatFloat(x: number, fmt: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  const sign = neg ? '-' : '';
  const shortest = prec < 0;
  switch (fmt) {
    case 'e':
    case 'E': {
      const d = shortest ? shortestDecimal(a) : roundDigits(exactDecimal(a), prec + 1);
      return sign + fmtE(d, shortest ? -1 : prec, fmt === 'E');
    }
    case 'f': {
      if (shortest) return sign + fmtF(shortestDecimal(a), -1);
      const exact = exactDecimal(a);
      // Below half a unit of the last place the value rounds to zero.
      if (exact.point + prec < 0) return sign + fmtF({ digits: '0', point: 1 }, prec);
      const d = roundDigits(exact, exact.point + prec);
      return sign + fmtF(d.digits.length === 0 ? { digits: '0', point: 1 } : d, prec);
    }
    default: {
      let eprec: number;
      let d: { digits: string; point: number };
      if (shortest) {
        d = shortestDecimal(a);
        eprec = 6;
      } else {
        if (prec === 0) prec = 1;
        d = roundDigits(exactDecimal(a), prec);
        d = { digits: d.digits.replace(/0+$/, '') || '0', point: d.point };
        eprec = prec;
        if (eprec > d.digits.length && d.digits.length >= d.point) eprec = d.digits.length;
      }
      const exp = d.digits === '0' ? 0 : d.point - 1;
      if (exp < -4 || exp >= eprec) {
        return sign + fmtE(d, d.digits.length - 1, fmt === 'G');
      }
      return sign + fmtF(d, Math.max(d.digits.length - d.point, 0));
    }
  }
}

/** Go's %v of a float64: strconv 'g' with the shortest precision (1e+06, 1.5, 100000). */
export function formatFloatV(x: number): string {
  return formatFloat(x, 'g', -1);
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** unicode.IsPrint for one code point. */
export function isPrintRune(cp: number): boolean {
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

function escapeRune(cp: number, quote: string, asciiOnly: boolean): string {
  const ch = String.fromCodePoint(cp);
  if (ch === quote || ch === '\\') return '\\' + ch;
  if (asciiOnly ? cp < 0x80 && isPrintRune(cp) : isPrintRune(cp)) return ch;
  switch (ch) {
    case '\x07':
      return '\\a';
    case '\b':
      return '\\b';
    case '\f':
      return '\\f';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\v':
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}

/** strconv.Quote (or QuoteToASCII when asciiOnly). */
export function quoteString(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, '"', asciiOnly);
  return out + '"';
}

/** strconv.QuoteRune. */
export function quoteRune(cp: number, asciiOnly = false): string {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0) cp = 0xfffd;
  return `'${escapeRune(cp, "'", asciiOnly)}'`;
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '`' || cp === 0xfeff) return false;
    if (cp < 0x20 && ch !== '\t') return false;
    if (cp === 0x7f) return false;
  }
  return true;
}
