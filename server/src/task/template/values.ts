/**
 * The Go value model the template engine works on.
 *
 * Task data arrives as plain JS values decoded from YAML. Go's text/template behaves differently
 * depending on the *Go type* of a value (printing, comparisons, argument checks, `typeOf`, ACR's
 * `b64enc`), so every JS value is read as the Go value it would be in acb:
 *
 * | JS value                      | Go type                    |
 * |-------------------------------|----------------------------|
 * | `null` / `undefined`          | nil (inside an interface)  |
 * | string / boolean              | string / bool              |
 * | number, `Number.isInteger`    | int                        |
 * | other number                  | float64                    |
 * | array                         | []interface {}             |
 * | plain object                  | map[string]interface {}    |
 * | {@link Typed}                 | its own `type`             |
 *
 * Values produced by functions whose Go result type differs from that mapping (an `int64` from
 * `add`, a whole `float64` from `floor`, `[]string` from `splitList`, `map[string]string` from
 * `split`, `time.Time` from `now`) are wrapped in {@link Typed}.
 */

/** A reflect.Kind, reduced to the kinds task data and Sprig can produce. */
export type Kind = 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'string' | 'slice' | 'map' | 'struct';

/** A value whose Go type the JS type alone cannot express. */
export class Typed {
  constructor(
    /** Go type name as `%T` prints it, e.g. `int64`, `[]string`, `map[string]string`, `time.Time`. */
    readonly type: string,
    readonly kind: Kind,
    /** number for numeric kinds, GoValue[] for slices, Record for maps, GoTime for time.Time. */
    readonly value: unknown,
  ) {}
}

/** time.Time: milliseconds since the epoch plus the extra nanoseconds, and the zone to show it in. */
export interface GoTime {
  ms: number;
  /** Nanoseconds beyond `ms` (0..999999). */
  extraNanos: number;
  /** IANA zone name, or 'UTC' / 'Local' (this engine's Local is UTC). */
  zone: string;
  /** A fixed zone (Go's FixedZone("", offset)) from a parsed numeric offset; overrides `zone`. */
  fixedOffsetSeconds?: number;
  /** `now` values carry Go's monotonic clock reading, printed by %v as ` m=+0.000000001`. */
  monotonic?: boolean;
}

export type GoMap = { [key: string]: GoValue };
export type GoValue = null | undefined | string | boolean | number | GoValue[] | GoMap | Typed;

export const int64 = (n: number): Typed => new Typed('int64', 'int', Math.trunc(n));
export const float64 = (n: number): Typed => new Typed('float64', 'float', n);
export const stringSlice = (items: string[]): Typed => new Typed('[]string', 'slice', items);
export const intSlice = (items: number[]): Typed => new Typed('[]int', 'slice', items);
export const stringMap = (entries: Record<string, string>): Typed => new Typed('map[string]string', 'map', entries);
export const goTime = (t: GoTime): Typed => new Typed('time.Time', 'struct', t);

export function isPlainMap(v: unknown): v is GoMap {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Typed) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A new map[string]interface{} that cannot be confused by keys such as `__proto__`. */
export function newMap(): GoMap {
  return Object.create(null) as GoMap;
}

export function hasKey(m: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, key);
}

/** Go's reflect.Kind of a value; undefined for nil and for JS values that have no Go meaning. */
export function kindOf(v: GoValue): Kind | undefined {
  if (v === null || v === undefined) return undefined;
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
  }
  if (Array.isArray(v)) return 'slice';
  if (v instanceof Typed) return v.kind;
  if (isPlainMap(v)) return 'map';
  return undefined;
}

/** Go's `%T` of a value (`<nil>` for nil). */
export function typeName(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float64';
  }
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof Typed) return v.type;
  return 'map[string]interface {}';
}

/** The number inside an int/uint/float value (JS number or Typed). */
export function numberOf(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (v instanceof Typed && typeof v.value === 'number') return v.value;
  return NaN;
}

/** Elements of a slice value, or undefined when the value is not a slice. */
export function sliceItems(v: GoValue): GoValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof Typed && v.kind === 'slice') return v.value as GoValue[];
  return undefined;
}

/** Entries of a map value, or undefined when the value is not a map. */
export function mapEntries(v: GoValue): Record<string, GoValue> | undefined {
  if (v instanceof Typed) return v.kind === 'map' ? (v.value as Record<string, GoValue>) : undefined;
  return isPlainMap(v) ? v : undefined;
}

/** Go's map key order for printing and ranging (fmtsort: string keys byte-wise ascending). */
export function sortedKeys(entries: object): string[] {
  return Object.keys(entries).sort(compareGoStrings);
}

/** Byte-wise (UTF-8) string comparison, as Go compares strings. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  // Comparing code points orders the same as comparing UTF-8 bytes; UTF-16 code units do not.
  const ca = Array.from(a);
  const cb = Array.from(b);
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i].codePointAt(0)!;
    const y = cb[i].codePointAt(0)!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return ca.length - cb.length < 0 ? -1 : ca.length === cb.length ? 0 : 1;
}

/** Length as Go's len() sees it, or undefined when the kind has no length. Strings count UTF-8 bytes. */
export function goLength(v: GoValue): number | undefined {
  if (typeof v === 'string') return utf8Length(v);
  const items = sliceItems(v);
  if (items) return items.length;
  const entries = mapEntries(v);
  if (entries) return Object.keys(entries).length;
  return undefined;
}

/** Go's truth (text/template isTrue) of a concrete value; nil is false. */
export function isTrue(v: GoValue): boolean {
  if (v === null || v === undefined) return false;
  switch (kindOf(v)) {
    case 'bool':
      return v === true;
    case 'string':
      return (v as string).length > 0;
    case 'int':
    case 'uint':
    case 'float':
    case 'complex':
      return numberOf(v) !== 0;
    case 'slice':
      return sliceItems(v)!.length > 0;
    case 'map':
      return Object.keys(mapEntries(v)!).length > 0;
    default:
      return true; // structs (time.Time) are always true
  }
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as Go's conversion does). */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

/** Decodes UTF-8 bytes; invalid sequences become U+FFFD like Go's range over a string. */
export function utf8Decode(bytes: ArrayLike<number>): string {
  let s = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let cp: number;
    if (b < 0x80) {
      s += String.fromCharCode(b);
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, cp] = [1, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, cp] = [2, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, cp] = [3, b & 0x07];
    else {
      s += '\ufffd';
      i++;
      continue;
    }
    let ok = true;
    for (let j = 1; j <= need; j++) {
      const c = bytes[i + j];
      if (c === undefined || (c & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    const overlong = (need === 2 && cp < 0x800) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff));
    if (!ok || overlong || (cp >= 0xd800 && cp <= 0xdfff)) {
      s += '\ufffd';
      i++;
      continue;
    }
    s += String.fromCodePoint(cp);
    i += need + 1;
  }
  return s;
}
