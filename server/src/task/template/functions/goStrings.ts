/**
 * Go string primitives behind Sprig's string functions: byte-offset slicing, strings.Split /
 * Trim / Title / Replace, goutils' Abbreviate / Wrap / Initials, per-rune case mapping.
 */
import { utf8Decode, utf8Encode } from '../values';
import { CallError } from './types';

/** Byte-offset slicing of a Go string, with Go's panic text when out of range. */
export function byteSlice(s: string, start: number, end?: number): string {
  const bytes = utf8Encode(s);
  const e = end ?? bytes.length;
  if (start < 0 || e < start || e > bytes.length) {
    if (e > bytes.length)
      throw new CallError(`runtime error: slice bounds out of range [:${e}] with length ${bytes.length}`);
    if (e < 0) throw new CallError(`runtime error: slice bounds out of range [:${e}]`);
    throw new CallError(`runtime error: slice bounds out of range [${start}:${e}]`);
  }
  return utf8Decode(bytes.slice(start, e));
}

export const byteLen = (s: string): number => utf8Encode(s).length;

/** strings.Split, including the empty-separator case (split into UTF-8 sequences). */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const chars = Array.from(s);
    if (n > 0 && chars.length > n) return [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
    return chars;
  }
  const parts = s.split(sep);
  if (n > 0 && parts.length > n) return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
  return parts;
}

export const isGoSpace = (c: string): boolean => /^[\t\n\v\f\r \u0085\u00a0\p{Zs}\u2028\u2029]$/u.test(c);

export function trimSpace(s: string): string {
  const chars = Array.from(s);
  let a = 0;
  let b = chars.length;
  while (a < b && isGoSpace(chars[a])) a++;
  while (b > a && isGoSpace(chars[b - 1])) b--;
  return chars.slice(a, b).join('');
}

/** strings.Trim with a cutset of runes. */
export function trimCutset(s: string, cutset: string): string {
  const set = new Set(Array.from(cutset));
  const chars = Array.from(s);
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a])) a++;
  while (b > a && set.has(chars[b - 1])) b--;
  return chars.slice(a, b).join('');
}

/** strings.Title: upper-cases the first letter of each word (deprecated in Go, but Sprig uses it). */
export function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const isSep =
      prev.codePointAt(0)! <= 0x7f ? !/^[0-9a-zA-Z_]$/.test(prev) : !/^[\p{L}\p{Nd}]$/u.test(prev) && isGoSpace(prev);
    out += isSep ? mapRunes(ch, true) : ch;
    prev = ch;
  }
  return out;
}

/** goutils.AbbreviateFull. */
export function abbreviateFull(str: string, offset: number, maxWidth: number): string {
  const len = byteLen(str);
  if (str === '' || maxWidth < 4) return '';
  if (len <= maxWidth) return str;
  if (offset > len) offset = len;
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  if (offset <= 4) return byteSlice(str, 0, maxWidth - 3) + '...';
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < len) return '...' + abbreviateFull(byteSlice(str, offset), 0, maxWidth - 3);
  return '...' + byteSlice(str, len - (maxWidth - 3));
}

/** goutils.WrapCustom (Sprig: wrap = no long-word breaking, wrapWith = breaking). */
export function wrapCustom(str: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  if (newLine === '') newLine = '\n';
  if (wrapLength < 1) wrapLength = 1;
  let out = '';
  let offset = 0;
  while (str.length - offset > wrapLength) {
    if (str[offset] === ' ') {
      offset++;
      continue;
    }
    const spaceToWrapAt = str.slice(offset, wrapLength + offset + 1).lastIndexOf(' ') + offset;
    if (spaceToWrapAt >= offset) {
      out += str.slice(offset, spaceToWrapAt) + newLine;
      offset = spaceToWrapAt + 1;
    } else if (wrapLongWords) {
      out += str.slice(offset, offset + wrapLength) + newLine;
      offset += wrapLength;
    } else {
      const end = wrapLength + offset;
      const index = str.indexOf(' ', end);
      if (index < 0) {
        out += str.slice(offset);
        offset = str.length;
      } else {
        out += str.slice(offset, index) + newLine;
        offset = index + 1;
      }
    }
  }
  return out + str.slice(offset);
}

/** unicode.ToUpper/ToLower per rune (Go has no multi-rune mappings: "ß" stays "ß"). */
export function mapRunes(x: string, upper: boolean): string {
  let out = '';
  for (const ch of x) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    const runes = Array.from(m);
    out += runes.length === 1 ? m : upper ? ch : runes[0];
  }
  return out;
}

export function initials(s: string): string {
  return s
    .split(/\s+/u)
    .filter((w) => w.length > 0)
    .map((w) => Array.from(w)[0])
    .join('');
}

export function swapCase(s: string): string {
  return Array.from(s)
    .map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()))
    .join('');
}

/** xstrings word split used by snakecase/kebabcase/camelcase. */
export function words(s: string): string[] {
  return s
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(/[^\p{L}\p{Nd}]+/u)
    .filter((w) => w.length > 0);
}

export function indent(spaces: number, v: string): string {
  if (spaces < 0) throw new CallError('strings: negative Repeat count');
  const pad = ' '.repeat(spaces);
  return pad + replaceAll(v, '\n', '\n' + pad);
}

/** strings.Replace(s, old, new, -1), including the empty-old case (insert around every rune). */
export function replaceAll(x: string, old: string, nw: string): string {
  if (old === '') return nw + Array.from(x).join(nw) + (x.length > 0 ? nw : '');
  return x.split(old).join(nw);
}
