/**
 * text/template's predefined functions (funcs.go): and, or, not, len, index, print, printf,
 * println, eq, ne, lt, le, gt, ge, html, js, urlquery, call. (`slice` is shadowed by Sprig's.)
 */
import { formatArg, formatV, sprint, sprintf, sprintln } from '../gofmt';
import { isPrintRune } from '../numbers';
import {
  type GoValue,
  Typed,
  compareGoStrings,
  goLength,
  hasKey,
  isTrue,
  kindOf,
  mapEntries,
  numberOf,
  sliceItems,
  typeName,
  utf8Encode,
} from '../values';
import { CallError, type FuncSpec, INVALID, type Ref } from './types';

const concrete = (v: GoValue): Ref => ({ v, iface: false });

/** indirectInterface: the concrete value inside an interface (nil becomes invalid). */
function indirectInterface(r: Ref): GoValue {
  return r.iface && r.v === null ? undefined : r.v;
}

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'string' | 'invalid';

function basicKind(v: GoValue): BasicKind {
  const k = kindOf(v);
  return k === 'bool' || k === 'int' || k === 'uint' || k === 'float' || k === 'complex' || k === 'string'
    ? k
    : 'invalid';
}

const formatS = (v: GoValue): string =>
  formatArg(v, 's', { plus: false, minus: false, sharp: false, space: false, zero: false });

function goEquals(a: GoValue, b: GoValue): boolean {
  if (a instanceof Typed && b instanceof Typed)
    return a.type === b.type && JSON.stringify(a.value) === JSON.stringify(b.value);
  return a === b;
}

function eq(args: Ref[]): Ref {
  const arg1 = indirectInterface(args[0]);
  if (args.length < 2) throw new CallError('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const r of args.slice(1)) {
    const arg = indirectInterface(r);
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') truth = numberOf(arg1) >= 0 && numberOf(arg1) === numberOf(arg);
      else if (k1 === 'uint' && k2 === 'int') truth = numberOf(arg) >= 0 && numberOf(arg1) === numberOf(arg);
      else if (arg1 !== undefined && arg !== undefined) throw new CallError('incompatible types for comparison');
    } else if (k1 === 'string') truth = arg1 === arg;
    else if (k1 !== 'invalid') truth = k1 === 'bool' ? arg1 === arg : numberOf(arg1) === numberOf(arg);
    else {
      const n1 = arg1 === undefined || arg1 === null;
      const n2 = arg === undefined || arg === null;
      if (!n1 && !n2 && kindOf(arg1) !== kindOf(arg)) {
        throw new CallError(
          `non-comparable types ${formatS(arg1)}: ${typeName(arg1)}, ${typeName(arg)}: ${formatV(arg)}`,
        );
      }
      if (n1 || n2) truth = n1 === n2;
      else if (kindOf(arg) === 'slice' || kindOf(arg) === 'map') {
        throw new CallError(`non-comparable type ${formatS(arg)}: ${typeName(arg)}`);
      } else truth = goEquals(arg1, arg);
    }
    if (truth) return concrete(true);
  }
  return concrete(false);
}

function lt(a: Ref, b: Ref): boolean {
  const arg1 = indirectInterface(a);
  const k1 = basicKind(arg1);
  if (k1 === 'invalid') throw new CallError('invalid type for comparison');
  const arg2 = indirectInterface(b);
  const k2 = basicKind(arg2);
  if (k2 === 'invalid') throw new CallError('invalid type for comparison');
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return numberOf(arg1) < 0 || numberOf(arg1) < numberOf(arg2);
    if (k1 === 'uint' && k2 === 'int') return numberOf(arg2) >= 0 && numberOf(arg1) < numberOf(arg2);
    throw new CallError('incompatible types for comparison');
  }
  if (k1 === 'bool' || k1 === 'complex') throw new CallError('invalid type for comparison');
  if (k1 === 'string') return compareGoStrings(arg1 as string, arg2 as string) < 0;
  return numberOf(arg1) < numberOf(arg2);
}

function le(a: Ref, b: Ref): boolean {
  return lt(a, b) || eq([a, b]).v === true;
}

function indexArg(index: GoValue, cap: number): number {
  const k = kindOf(index);
  if (k === 'int' || k === 'uint') {
    const x = numberOf(index);
    if (x < 0 || x > cap) throw new CallError(`index out of range: ${x}`);
    return x;
  }
  if (index === undefined || index === null) throw new CallError('cannot index slice/array with nil');
  throw new CallError(`cannot index slice/array with type ${typeName(index)}`);
}

function index(args: Ref[]): Ref {
  let item: Ref = { v: indirectInterface(args[0]), iface: false };
  if (item.v === undefined) throw new CallError('index of untyped nil');
  for (const r of args.slice(1)) {
    const idx = indirectInterface(r);
    if (item.v === null) throw new CallError('index of nil pointer');
    const v = item.v;
    const items = sliceItems(v);
    if (typeof v === 'string') {
      const bytes = utf8Encode(v);
      const x = indexArg(idx, bytes.length);
      if (x >= bytes.length) throw new CallError('reflect: string index out of range');
      item = concrete(new Typed('uint8', 'uint', bytes[x]));
    } else if (items !== undefined) {
      const x = indexArg(idx, items.length);
      if (x >= items.length) throw new CallError('reflect: slice index out of range');
      item = { v: items[x] ?? null, iface: !(v instanceof Typed) };
    } else {
      const entries = mapEntries(v);
      if (entries === undefined) throw new CallError(`can't index item of type ${typeName(v)}`);
      if (idx === undefined || idx === null) throw new CallError('value is nil; should be of type string');
      if (typeof idx !== 'string') throw new CallError(`value has type ${typeName(idx)}; should be string`);
      const elemIsIface = !(v instanceof Typed);
      const found = hasKey(entries, idx) ? entries[idx] : elemIsIface ? null : '';
      item = { v: found ?? null, iface: elemIsIface };
    }
  }
  return item;
}

function length(args: Ref[]): Ref {
  const r = args[0];
  if (r.iface && r.v === null) throw new CallError('len of nil pointer');
  if (r.v === undefined) throw new CallError('reflect: call of reflect.Value.Type on zero Value');
  const n = goLength(r.v);
  if (n === undefined) throw new CallError(`len of type ${typeName(r.v)}`);
  return concrete(n);
}

/** text/template's evalArgs: one string stays itself, anything else is Sprint-ed (nil as <no value>). */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) =>
    c === '\0'
      ? '\ufffd'
      : ({ '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' } as Record<string, string>)[c],
  );
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const special: Record<string, string> = {
      '\\': '\\\\',
      "'": "\\'",
      '"': '\\"',
      '<': '\\u003C',
      '>': '\\u003E',
      '&': '\\u0026',
      '=': '\\u003D',
    };
    if (special[ch] !== undefined) out += special[ch];
    else if (cp < 0x20) out += '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0');
    else if (cp < 0x80 || isPrintRune(cp)) out += ch;
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8Encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const builtin = (usage: string, doc: string, f: Partial<FuncSpec>): FuncSpec => ({
  usage,
  doc,
  params: [],
  builtin: true,
  ...f,
});

export const BUILTINS: ReadonlyMap<string, FuncSpec> = new Map<string, FuncSpec>([
  [
    'and',
    builtin('and X Y …', 'First empty argument, or the last one (stops evaluating at the first empty).', {
      params: ['reflect'],
      variadic: 'reflect',
      refFn: () => INVALID,
    }),
  ],
  [
    'or',
    builtin('or X Y …', 'First non-empty argument, or the last one (stops evaluating at the first non-empty).', {
      params: ['reflect'],
      variadic: 'reflect',
      refFn: () => INVALID,
    }),
  ],
  [
    'not',
    builtin('not X', 'Boolean negation of the truth of X.', {
      params: ['reflect'],
      refFn: (a) => concrete(!isTrue(indirectInterface(a[0]))),
    }),
  ],
  ['len', builtin('len X', 'Length of a string (bytes), list or map.', { params: ['reflect'], refFn: length })],
  [
    'index',
    builtin('index X KEY …', 'Element of a list or map: index .Values "a.b" reaches keys with dots.', {
      params: ['reflect'],
      variadic: 'reflect',
      refFn: index,
    }),
  ],
  [
    'print',
    builtin('print X …', 'fmt.Sprint of the arguments (spaces only between non-strings).', {
      variadic: 'any',
      fn: (a) => sprint(a),
    }),
  ],
  [
    'printf',
    builtin('printf FORMAT X …', 'fmt.Sprintf: %s %d %v %q %x %t %f %%, widths and flags.', {
      params: ['string'],
      variadic: 'any',
      fn: (a) => sprintf(a[0] as string, a.slice(1)),
    }),
  ],
  [
    'println',
    builtin('println X …', 'fmt.Sprintln: arguments separated by spaces, then a newline.', {
      variadic: 'any',
      fn: (a) => sprintln(a),
    }),
  ],
  [
    'eq',
    builtin('eq X Y …', 'True when X equals any of the following arguments (basic types only).', {
      params: ['reflect'],
      variadic: 'reflect',
      refFn: eq,
    }),
  ],
  [
    'ne',
    builtin('ne X Y', 'True when X and Y differ.', {
      params: ['reflect', 'reflect'],
      refFn: (a) => concrete(eq(a).v !== true),
    }),
  ],
  [
    'lt',
    builtin('lt X Y', 'X < Y (numbers of the same kind, or strings).', {
      params: ['reflect', 'reflect'],
      refFn: (a) => concrete(lt(a[0], a[1])),
    }),
  ],
  ['le', builtin('le X Y', 'X <= Y.', { params: ['reflect', 'reflect'], refFn: (a) => concrete(le(a[0], a[1])) })],
  ['gt', builtin('gt X Y', 'X > Y.', { params: ['reflect', 'reflect'], refFn: (a) => concrete(!le(a[0], a[1])) })],
  ['ge', builtin('ge X Y', 'X >= Y.', { params: ['reflect', 'reflect'], refFn: (a) => concrete(!lt(a[0], a[1])) })],
  [
    'html',
    builtin('html X …', 'HTML-escapes the text of the arguments.', {
      variadic: 'any',
      fn: (a) => htmlEscape(evalArgs(a)),
    }),
  ],
  [
    'js',
    builtin('js X …', 'JavaScript-escapes the text of the arguments.', {
      variadic: 'any',
      fn: (a) => jsEscape(evalArgs(a)),
    }),
  ],
  [
    'urlquery',
    builtin('urlquery X …', 'Query-escapes the text of the arguments (space becomes +).', {
      variadic: 'any',
      fn: (a) => queryEscape(evalArgs(a)),
    }),
  ],
  [
    'call',
    builtin('call FN ARG …', 'Calls a function value (task data holds none, so this always fails).', {
      params: ['reflect'],
      variadic: 'reflect',
      refFn: (a) => {
        const fn = indirectInterface(a[0]);
        if (fn === undefined || fn === null) throw new CallError('call of nil');
        throw new CallError(`non-function of type ${typeName(fn)}`);
      },
    }),
  ],
]);
