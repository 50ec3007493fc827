/**
 * Decoding of the alias block and of `src` files with the scalar rules of `gopkg.in/yaml.v2` (what acb
 * uses) on top of the `yaml` package's syntax tree:
 * - every scalar decoded into a Go string keeps its text (`5`, `yes`, `1.0` stay as written);
 * - a plain null (``, `~`, `null`, `Null`, `NULL`) becomes "";
 * - a sequence or mapping where a string is expected is a type error;
 * - a repeated key is decoded again into the same target (maps merge, later keys win).
 * The failsafe schema gives us each scalar's text without type resolution, which is exactly that.
 */
import { parseAllDocumentsSafely } from '../yamlSafety';
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import type { PreSpan } from './types';

export const GO_YAML_PARSE_OPTIONS = { schema: 'failsafe', uniqueKeys: false, prettyErrors: false } as const;

const NULL_TAG = 'tag:yaml.org,2002:null';
const PLAIN_NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);

/** A node of a parsed document, or null where YAML has an empty node. */
export type MaybeNode = Node | null | undefined;

/** Follows `*anchor` references (bounded, so a cycle cannot loop). */
export function resolveNode(node: MaybeNode, doc: Document): MaybeNode {
  let current = node;
  for (let depth = 0; depth < 64 && isAlias(current); depth++) current = current.resolve(doc);
  return isAlias(current) ? undefined : current;
}

export function isYamlNull(node: MaybeNode): boolean {
  if (node === null || node === undefined) return true;
  if (!isScalar(node)) return false;
  if (node.tag === NULL_TAG || node.tag === '!!null') return true;
  return (
    node.tag === undefined && node.type === 'PLAIN' && typeof node.value === 'string' && PLAIN_NULLS.has(node.value)
  );
}

/** yaml.v2's name for a node kind in "cannot unmarshal !!seq into string". */
export function yamlKindName(node: MaybeNode): string {
  if (isMap(node)) return '!!map';
  if (isSeq(node)) return '!!seq';
  return '!!str';
}

/** The scalar's text as yaml.v2 would store it in a Go string. */
export function scalarText(node: Scalar): string {
  const value: unknown = node.value;
  if (typeof value === 'string') return value;
  // `!!binary` is base64-decoded even in the failsafe schema; Go then reinterprets the bytes as a string.
  if (value instanceof Uint8Array) return String.fromCharCode(...value);
  return typeof node.source === 'string' ? node.source : '';
}

/** [start, end) of a node's value, or an empty span at `fallback`. */
export function nodeSpan(node: MaybeNode, fallback: number): PreSpan {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : { start: fallback, end: fallback };
}

/** How to turn a scalar into text; the editor swaps this to read template text from the original source. */
export type ScalarReader = (node: Scalar) => string;

/** A string-typed decode: the text, or why the node is not a string. */
export type StringDecode = { ok: true; value: string } | { ok: false; message: string };

export function decodeString(node: MaybeNode, doc: Document, read: ScalarReader, target = 'string'): StringDecode {
  const resolved = resolveNode(node, doc);
  if (isYamlNull(resolved)) return { ok: true, value: '' };
  if (isScalar(resolved)) return { ok: true, value: read(resolved) };
  return { ok: false, message: `cannot unmarshal ${yamlKindName(resolved)} into ${target}` };
}

/** One decoded `name: text` entry with where both sides were written. */
export interface LocatedEntry {
  name: string;
  value: string;
  keySpan: PreSpan;
  valueSpan: PreSpan;
  keyNode: Scalar | undefined;
  valueNode: Scalar | undefined;
}

/** A type error located at the node that caused it. */
export interface LocatedTypeError {
  message: string;
  span: PreSpan;
}

/**
 * Decodes a mapping into `map[string]string` entries in source order (duplicates kept; a later one wins
 * when the caller builds a map). Entries whose key or value is not a string become type errors.
 */
export function decodeStringMapEntries(
  mapNode: MaybeNode,
  doc: Document,
  read: ScalarReader,
  errors: LocatedTypeError[],
): LocatedEntry[] {
  const resolved = resolveNode(mapNode, doc);
  const entries: LocatedEntry[] = [];
  if (!isMap(resolved)) {
    if (!isYamlNull(resolved)) {
      const span = nodeSpan(resolved, 0);
      errors.push({ message: `cannot unmarshal ${yamlKindName(resolved)} into map[string]string`, span });
    }
    return entries;
  }
  for (const pair of resolved.items) {
    const keyNode = resolveNode(pair.key as MaybeNode, doc);
    const valueNode = resolveNode(pair.value as MaybeNode, doc);
    const keySpan = nodeSpan(pair.key as MaybeNode, resolved.range?.[0] ?? 0);
    const valueSpan = nodeSpan(pair.value as MaybeNode, keySpan.end);
    const key = decodeString(keyNode, doc, read);
    const value = decodeString(valueNode, doc, read);
    if (!key.ok) errors.push({ message: key.message, span: keySpan });
    if (!value.ok) errors.push({ message: value.message, span: valueSpan });
    if (!key.ok || !value.ok) continue;
    entries.push({
      name: key.value,
      value: value.value,
      keySpan,
      valueSpan,
      keyNode: isScalar(keyNode) ? keyNode : undefined,
      valueNode: isScalar(valueNode) ? valueNode : undefined,
    });
  }
  return entries;
}

/** Syntax problems of a parsed document, located. */
export function syntaxErrors(doc: Document): LocatedTypeError[] {
  return doc.errors.map((error) => ({
    message: error.message,
    span: { start: error.pos[0], end: Math.max(error.pos[0], error.pos[1]) },
  }));
}

/**
 * yaml.v2 `Unmarshal(data, &map[string]string{})` for a `src` file: only the first document counts, an
 * empty or null document is an empty map, anything but a flat string map is an error.
 */
export function parseFlatStringMap(text: string): { map: Map<string, string>; errors: string[] } {
  const map = new Map<string, string>();
  const doc = parseAllDocumentsSafely(text, GO_YAML_PARSE_OPTIONS)[0];
  if (doc === undefined || !('contents' in doc)) return { map, errors: [] };
  const syntax = syntaxErrors(doc);
  if (syntax.length > 0) return { map, errors: syntax.map((error) => error.message) };
  const typeErrors: LocatedTypeError[] = [];
  const entries = decodeStringMapEntries(doc.contents, doc, scalarText, typeErrors);
  for (const entry of entries) map.set(entry.name, entry.value);
  return { map, errors: typeErrors.map((error) => error.message) };
}
