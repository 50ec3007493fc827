/**
 * Sprig v2.22 regex functions on Go's RE2 syntax. Patterns are translated to JS RegExp (flags
 * groups, \A \z, POSIX classes, (?P<name>…)); constructs RE2 rejects (look-around,
 * back-references) are rejected here too. Matching loops follow Go's rules for empty matches and
 * Go's `$1` / `${name}` replacement syntax.
 */
import { quoteString, canBackquote } from '../numbers';
import { type GoValue, stringSlice } from '../values';
import { CallError, type FuncSpec, spec } from './types';

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Translates an RE2 pattern; throws Error with a Go-like "error parsing regexp" message. */
export function compileGoRegex(pattern: string): RegExp {
  const bad = (what: string): never => {
    throw new Error(`error parsing regexp: ${what}`);
  };
  let flags = 'u';
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1].includes('U')) bad('invalid or unsupported Perl syntax: `(?U`');
    for (const f of lead[1]) if (!flags.includes(f)) flags += f;
    src = src.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const e = src[i + 1];
      if (e === undefined) bad('trailing backslash at end of expression: ``');
      if (/[1-9]/.test(e)) bad(`invalid escape sequence: \`\\${e}\``);
      if (e === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (e === 'z' && !inClass) out += '(?![\\s\\S])';
      else if (e === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end < 0 ? undefined : end);
        out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? src.length : end + 1;
        continue;
      } else if (/[pP]/.test(e) && src[i + 2] !== '{') {
        out += `\\${e}{${src[i + 2]}}`;
        i++;
      } else if (/[!-/:-@[-`{-~]/.test(e) && !/[\\^$.*+?()[\]{}|/]/.test(e))
        out += `\\x${e.charCodeAt(0).toString(16).padStart(2, '0')}`;
      else out += c + e;
      i++;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
      if (posix) {
        const set = Object.prototype.hasOwnProperty.call(POSIX, posix[2]) ? POSIX[posix[2]] : undefined;
        if (set === undefined) bad(`invalid character class range: \`${posix[0]}\``);
        if (posix[1]) bad('negated POSIX classes are not supported here');
        out += set;
        i += posix[0].length - 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += '\\' + src[++i];
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i);
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        i += named[0].length - 1;
        continue;
      }
      if (rest.startsWith('(?:')) {
        out += '(?:';
        i += 2;
        continue;
      }
      bad(`invalid or unsupported Perl syntax: \`${rest.slice(0, 3)}\``);
    }
    out += c;
  }
  try {
    return new RegExp(out, flags + 'g');
  } catch {
    return bad(`invalid or unsupported syntax: \`${pattern}\``);
  }
}

/** regexp.MustCompile: panics (here: a CallError) with Go's message. */
function mustCompile(pattern: string): RegExp {
  try {
    return compileGoRegex(pattern);
  } catch (e) {
    const q = canBackquote(pattern) ? '`' + pattern + '`' : quoteString(pattern);
    throw new CallError(`regexp: Compile(${q}): ${(e as Error).message}`);
  }
}

function execAt(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(s);
}

const runeWidth = (s: string, pos: number): number => (pos < s.length && s.codePointAt(pos)! > 0xffff ? 2 : 1);

/** Regexp.FindAllStringIndex semantics (empty matches right after a match are skipped). */
function findAll(re: RegExp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  if (n < 0) n = s.length + 1;
  let pos = 0;
  let prevMatchEnd = -1;
  while (out.length < n && pos <= s.length) {
    const m = execAt(re, s, pos);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === start) {
      if (start === prevMatchEnd) accept = false;
      pos = start + runeWidth(s, start);
    } else pos = end;
    prevMatchEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** Regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(
    /\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g,
    (_all, tok: string, braced?: string, bare?: string) => {
      if (tok === '$') return '$';
      const name = braced ?? bare ?? '';
      if (/^[0-9]+$/.test(name)) return m[Number(name)] ?? '';
      return m.groups?.[name] ?? '';
    },
  );
}

function replaceAll(re: RegExp, s: string, repl: (m: RegExpExecArray) => string): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= s.length) {
    const m = execAt(re, s, searchPos);
    if (!m) break;
    const a0 = m.index;
    const a1 = a0 + m[0].length;
    out += s.slice(lastMatchEnd, a0);
    if (a1 > lastMatchEnd || a0 === 0) out += repl(m);
    lastMatchEnd = a1;
    const width = runeWidth(s, searchPos);
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + s.slice(lastMatchEnd);
}

function split(re: RegExp, pattern: string, s: string, n: number): string[] | null {
  if (n === 0) return null;
  if (pattern.length > 0 && s.length === 0) return [''];
  const matches = findAll(re, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

const str = (v: GoValue): string => v as string;

export const REGEX_FUNCTIONS: [string, FuncSpec][] = [
  [
    'regexMatch',
    spec(
      'regexMatch REGEX STRING',
      'Whether STRING matches the (Go RE2) REGEX; an invalid REGEX is false.',
      ['string', 'string'],
      ([r, x]) => {
        try {
          return execAt(compileGoRegex(str(r)), str(x), 0) !== null;
        } catch {
          return false;
        }
      },
    ),
  ],
  [
    'regexFindAll',
    spec('regexFindAll REGEX STRING N', 'Up to N matches (N < 0: all).', ['string', 'string', 'int'], ([r, x, n]) =>
      stringSlice(findAll(mustCompile(str(r)), str(x), n as number).map((m) => m[0])),
    ),
  ],
  [
    'regexFind',
    spec(
      'regexFind REGEX STRING',
      'The first match, or "".',
      ['string', 'string'],
      ([r, x]) => execAt(mustCompile(str(r)), str(x), 0)?.[0] ?? '',
    ),
  ],
  [
    'regexReplaceAll',
    spec(
      'regexReplaceAll REGEX STRING REPL',
      'Replaces matches; REPL may use $1 or ${name}.',
      ['string', 'string', 'string'],
      ([r, x, p]) => replaceAll(mustCompile(str(r)), str(x), (m) => expand(str(p), m)),
    ),
  ],
  [
    'regexReplaceAllLiteral',
    spec(
      'regexReplaceAllLiteral REGEX STRING REPL',
      'Replaces matches with REPL as is.',
      ['string', 'string', 'string'],
      ([r, x, p]) => replaceAll(mustCompile(str(r)), str(x), () => str(p)),
    ),
  ],
  [
    'regexSplit',
    spec(
      'regexSplit REGEX STRING N',
      'Splits STRING around matches into at most N parts (N < 0: all).',
      ['string', 'string', 'int'],
      ([r, x, n]) => stringSlice(split(mustCompile(str(r)), str(r), str(x), n as number) ?? []),
    ),
  ],
];
