/** Sprig v2.22 list (list.go) and dict (dict.go) functions. */
import {
  type GoMap,
  type GoValue,
  Typed,
  intSlice,
  isPlainMap,
  kindOf,
  mapEntries,
  newMap,
  sliceItems,
  sortedKeys,
  stringSlice,
  typeName,
} from '../values';
import { strval } from './strings';
import { CallError, type FuncSpec, spec } from './types';
import { toInt } from './conversion';

/** reflect.Kind.String() of a value, as Sprig's panic messages print it. */
export function reflectKindName(v: GoValue): string {
  if (v instanceof Typed) return v.kind === 'struct' || v.kind === 'slice' || v.kind === 'map' ? v.kind : v.type;
  const k = kindOf(v);
  if (k === undefined) return 'invalid';
  return k === 'float' ? 'float64' : k;
}

/** reflect.DeepEqual on Go values. */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeName(a) !== typeName(b)) return false;
  const ia = sliceItems(a);
  const ib = sliceItems(b);
  if (ia && ib) return ia.length === ib.length && ia.every((x, i) => deepEqual(x, ib[i]));
  const ma = mapEntries(a);
  const mb = mapEntries(b);
  if (ma && mb) {
    const ka = Object.keys(ma);
    return (
      ka.length === Object.keys(mb).length &&
      ka.every((k) => Object.prototype.hasOwnProperty.call(mb, k) && deepEqual(ma[k], mb[k]))
    );
  }
  if (a instanceof Typed && b instanceof Typed) return JSON.stringify(a.value) === JSON.stringify(b.value);
  return a === b;
}

export function deepCopy(v: GoValue): GoValue {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (isPlainMap(v)) {
    const out = newMap();
    for (const k of Object.keys(v)) out[k] = deepCopy(v[k]);
    return out;
  }
  if (v instanceof Typed && (v.kind === 'slice' || v.kind === 'map')) {
    const inner = v.value as object;
    return new Typed(v.type, v.kind, Array.isArray(inner) ? [...(inner as GoValue[])] : { ...inner });
  }
  return v;
}

/** The elements of a list argument, with Sprig's panic when it is not a list. */
function listOf(v: GoValue, what: string): GoValue[] {
  if (v === null || v === undefined)
    throw new CallError('runtime error: invalid memory address or nil pointer dereference');
  const items = sliceItems(v);
  if (items === undefined) throw new CallError(`Cannot ${what} on type ${reflectKindName(v)}`);
  return items.map((x) => x ?? null);
}

const asMap = (v: GoValue): GoMap | null => (v === null || v === undefined ? null : (v as GoMap));

function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const key of Object.keys(src)) {
    const sv = src[key];
    if (sv === null || sv === undefined) continue;
    const dv = Object.prototype.hasOwnProperty.call(dst, key) ? dst[key] : undefined;
    if (isPlainMap(sv) && isPlainMap(dv)) {
      mergeInto(dv, sv, overwrite);
      continue;
    }
    const dstEmpty = dv === undefined || dv === null || isEmptyish(dv);
    if (!dstEmpty && (isPlainMap(sv) || sliceItems(sv) !== undefined)) continue;
    if (overwrite || dstEmpty) dst[key] = sv;
  }
}

function isEmptyish(v: GoValue): boolean {
  return (
    v === '' ||
    v === 0 ||
    v === false ||
    (sliceItems(v)?.length ?? 1) === 0 ||
    (isPlainMap(v) && Object.keys(v).length === 0)
  );
}

function merge(args: GoValue[], overwrite: boolean): GoValue {
  const dst = asMap(args[0]);
  const srcs = args.slice(1).map(asMap);
  if (dst === null) {
    if (srcs.some((s) => s !== null)) throw new CallError('assignment to entry in nil map');
    return null;
  }
  for (const src of srcs) if (src !== null) mergeInto(dst, src, overwrite);
  return dst;
}

function untilStep(start: number, stop: number, step: number): number[] {
  const v: number[] = [];
  if (stop < start) {
    if (step >= 0) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

const inList = (haystack: GoValue[], needle: GoValue): boolean => haystack.some((h) => deepEqual(needle, h));

export const COLLECTION_FUNCTIONS: [string, FuncSpec][] = [
  ['list', spec('list X …', 'A list of the arguments.', [], (a) => [...a], { variadic: 'any' })],
  ['tuple', spec('tuple X …', 'Alias of list.', [], (a) => [...a], { variadic: 'any' })],
  [
    'dict',
    spec(
      'dict KEY VALUE …',
      'A map from key/value pairs.',
      [],
      (a) => {
        const d = newMap();
        for (let i = 0; i < a.length; i += 2) d[strval(a[i])] = i + 1 < a.length ? a[i + 1]! : '';
        return d;
      },
      { variadic: 'any' },
    ),
  ],
  [
    'set',
    spec('set MAP KEY VALUE', 'Sets KEY in MAP (in place) and returns MAP.', ['map', 'string', 'any'], ([d, k, v]) => {
      const m = asMap(d);
      if (m === null) throw new CallError('assignment to entry in nil map');
      m[k as string] = v ?? null;
      return m;
    }),
  ],
  [
    'unset',
    spec('unset MAP KEY', 'Removes KEY from MAP (in place) and returns MAP.', ['map', 'string'], ([d, k]) => {
      const m = asMap(d);
      if (m !== null) delete m[k as string];
      return m;
    }),
  ],
  [
    'hasKey',
    spec('hasKey MAP KEY', 'Whether MAP has KEY.', ['map', 'string'], ([d, k]) => {
      const m = asMap(d);
      return m !== null && Object.prototype.hasOwnProperty.call(m, k as string);
    }),
  ],
  [
    'pluck',
    spec(
      'pluck KEY MAP …',
      'The values of KEY in each map that has it.',
      ['string'],
      (a) =>
        a
          .slice(1)
          .map(asMap)
          .filter((m): m is GoMap => m !== null && Object.prototype.hasOwnProperty.call(m, a[0] as string))
          .map((m) => m[a[0] as string] ?? null),
      { variadic: 'map' },
    ),
  ],
  [
    'keys',
    spec(
      'keys MAP …',
      'The keys of the maps (Go leaves the order unspecified; here sorted).',
      [],
      (a) => stringSlice(a.map(asMap).flatMap((m) => (m === null ? [] : sortedKeys(m)))),
      { variadic: 'map' },
    ),
  ],
  [
    'pick',
    spec(
      'pick MAP KEY …',
      'A new map with only the given keys.',
      ['map'],
      (a) => {
        const m = asMap(a[0]);
        const out = newMap();
        for (const k of a.slice(1) as string[])
          if (m !== null && Object.prototype.hasOwnProperty.call(m, k)) out[k] = m[k] ?? null;
        return out;
      },
      { variadic: 'string' },
    ),
  ],
  [
    'omit',
    spec(
      'omit MAP KEY …',
      'A new map without the given keys.',
      ['map'],
      (a) => {
        const m = asMap(a[0]);
        const out = newMap();
        const drop = new Set(a.slice(1) as string[]);
        if (m !== null) for (const k of Object.keys(m)) if (!drop.has(k)) out[k] = m[k] ?? null;
        return out;
      },
      { variadic: 'string' },
    ),
  ],
  [
    'merge',
    spec(
      'merge DST SRC …',
      'Deep-merges SRC maps into DST; existing DST values win.',
      ['map'],
      (a) => merge(a, false),
      { variadic: 'map', resultIsInterface: true },
    ),
  ],
  [
    'mergeOverwrite',
    spec('mergeOverwrite DST SRC …', 'Deep-merges SRC maps into DST; SRC values win.', ['map'], (a) => merge(a, true), {
      variadic: 'map',
      resultIsInterface: true,
    }),
  ],
  [
    'values',
    spec('values MAP', 'The values of MAP (Go leaves the order unspecified; here by sorted key).', ['map'], ([d]) => {
      const m = asMap(d);
      return m === null ? [] : sortedKeys(m).map((k) => m[k] ?? null);
    }),
  ],
  ['deepCopy', spec('deepCopy X', 'A deep copy of X.', ['any'], ([x]) => deepCopy(x), { resultIsInterface: true })],
  [
    'append',
    spec('append LIST X', 'A new list with X added at the end.', ['any', 'any'], ([l, x]) => [
      ...listOf(l, 'push'),
      x ?? null,
    ]),
  ],
  ['push', spec('push LIST X', 'Alias of append.', ['any', 'any'], ([l, x]) => [...listOf(l, 'push'), x ?? null])],
  [
    'prepend',
    spec('prepend LIST X', 'A new list with X added at the front.', ['any', 'any'], ([l, x]) => [
      x ?? null,
      ...listOf(l, 'prepend'),
    ]),
  ],
  [
    'first',
    spec(
      'first LIST',
      'The first element (nil for an empty list).',
      ['any'],
      ([l]) => listOf(l, 'find first')[0] ?? null,
      { resultIsInterface: true },
    ),
  ],
  [
    'last',
    spec(
      'last LIST',
      'The last element (nil for an empty list).',
      ['any'],
      ([l]) => listOf(l, 'find last').at(-1) ?? null,
      { resultIsInterface: true },
    ),
  ],
  ['rest', spec('rest LIST', 'All but the first element.', ['any'], ([l]) => listOf(l, 'find rest').slice(1))],
  [
    'initial',
    spec('initial LIST', 'All but the last element.', ['any'], ([l]) => listOf(l, 'find initial').slice(0, -1)),
  ],
  ['reverse', spec('reverse LIST', 'A reversed copy.', ['any'], ([l]) => [...listOf(l, 'find reverse')].reverse())],
  [
    'uniq',
    spec('uniq LIST', 'The list without duplicates.', ['any'], ([l]) => {
      const out: GoValue[] = [];
      for (const x of listOf(l, 'find uniq')) if (!inList(out, x)) out.push(x);
      return out;
    }),
  ],
  [
    'without',
    spec(
      'without LIST X …',
      'The list without the given values.',
      ['any'],
      (a) => listOf(a[0], 'find without').filter((x) => !inList(a.slice(1), x)),
      { variadic: 'any' },
    ),
  ],
  [
    'has',
    spec('has X LIST', 'Whether LIST contains X.', ['any', 'any'], ([x, l]) =>
      l === null ? false : listOf(l, 'find has').some((i) => deepEqual(x, i)),
    ),
  ],
  [
    'compact',
    spec('compact LIST', 'The list without empty values.', ['any'], ([l]) =>
      listOf(l, 'compact').filter((x) => !isEmptyValue(x)),
    ),
  ],
  [
    'slice',
    spec(
      'slice LIST [START [END]]',
      'Elements START..END of LIST.',
      ['any'],
      (a) => {
        const l = a[0]!;
        if (l === null) throw new CallError('runtime error: invalid memory address or nil pointer dereference');
        const items = sliceItems(l);
        if (items === undefined) throw new CallError(`list should be type of slice or array but ${reflectKindName(l)}`);
        if (items.length === 0) return null;
        const start = a.length > 1 ? toInt(a[1]) : 0;
        const end = a.length > 2 ? toInt(a[2]) : items.length;
        if (start < 0 || end < start || end > items.length)
          throw new CallError('reflect.Value.Slice: slice index out of bounds');
        const part = items.slice(start, end);
        return l instanceof Typed ? new Typed(l.type, l.kind, part) : part;
      },
      { variadic: 'any', resultIsInterface: true },
    ),
  ],
  [
    'concat',
    spec(
      'concat LIST …',
      'The lists joined into one.',
      [],
      (a) => {
        const out: GoValue[] = [];
        for (const l of a) {
          if (l === null) throw new CallError('runtime error: invalid memory address or nil pointer dereference');
          const items = sliceItems(l);
          if (items === undefined) throw new CallError(`Cannot concat type ${reflectKindName(l)} as list`);
          out.push(...items);
        }
        return out;
      },
      { variadic: 'any', resultIsInterface: true },
    ),
  ],
  [
    'until',
    spec('until N', 'The integers 0..N-1 (or down to N+1 when N < 0).', ['int'], ([c]) =>
      intSlice(untilStep(0, c as number, (c as number) < 0 ? -1 : 1)),
    ),
  ],
  [
    'untilStep',
    spec('untilStep START STOP STEP', 'Integers from START towards STOP by STEP.', ['int', 'int', 'int'], ([a, b, c]) =>
      intSlice(untilStep(a as number, b as number, c as number)),
    ),
  ],
];

/** Sprig's empty(): nil, zero numbers, false, and empty strings/lists/maps. */
export function isEmptyValue(v: GoValue): boolean {
  if (v === null || v === undefined) return true;
  const items = sliceItems(v);
  if (items) return items.length === 0;
  const entries = mapEntries(v);
  if (entries) return Object.keys(entries).length === 0;
  if (v instanceof Typed) return v.kind === 'struct' ? false : v.value === 0;
  return v === '' || v === 0 || v === false;
}
