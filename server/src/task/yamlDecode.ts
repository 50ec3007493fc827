/**
 * Typed readers over `yaml` nodes that decode the way acb's `gopkg.in/yaml.v2` does (spec §1.6):
 * scalars of any kind decode into string fields, floats truncate into ints, a quoted "10" is NOT an
 * int, a scalar is not a list. A wrong kind becomes a `yaml-type` diagnostic at the value, worded
 * like yaml.v2 ("cannot unmarshal !!str `10` into int"), and the field keeps its default.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { diagnostic, type TaskDiagnostic } from './diagnostic';
import type { EntrySpans, Span } from './model';

export interface DecodeContext {
  diagnostics: TaskDiagnostic[];
  /** True when the span overlaps a masked `{{ }}` template (its type is unknown until rendered). */
  isTemplated: (span: Span) => boolean;
  /** YAML path of the value being decoded, for mapping rendered-text problems back to the source. */
  path: (string | number)[];
}

export function spanOf(node: Node | null | undefined): Span {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : { start: 0, end: 0 };
}

function yamlTag(node: Node | null): string {
  if (isMap(node)) return '!!map';
  if (isSeq(node)) return '!!seq';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) return '!!null';
    if (typeof value === 'boolean') return '!!bool';
    if (typeof value === 'number')
      return Number.isInteger(value) && !String(node.source ?? '').includes('.') ? '!!int' : '!!float';
    return '!!str';
  }
  return '!!str';
}

function scalarText(node: Node | null): string {
  if (isScalar(node)) return String(node.source ?? node.value);
  return '';
}

function typeError(context: DecodeContext, node: Node | null, goType: string, key: string): void {
  const span = spanOf(node);
  if (context.isTemplated(span)) return;
  const shown = isScalar(node) ? ` \`${scalarText(node)}\`` : '';
  context.diagnostics.push(
    diagnostic(
      'yaml-type',
      'error',
      `cannot unmarshal ${yamlTag(node)}${shown} into ${goType} (key \`${key}\`)`,
      span,
      {
        path: context.path,
      },
    ),
  );
}

function isNull(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

export function readString(context: DecodeContext, node: Node | null, key: string): string | undefined {
  if (isNull(node)) return undefined;
  if (isScalar(node)) {
    return typeof node.value === 'string' ? node.value : String(node.source ?? node.value);
  }
  typeError(context, node, 'string', key);
  return undefined;
}

export function readInt(context: DecodeContext, node: Node | null, key: string): number | undefined {
  if (isNull(node)) return undefined;
  if (isScalar(node) && typeof node.value === 'number') return Math.trunc(node.value);
  typeError(context, node, 'int', key);
  return undefined;
}

export function readBool(context: DecodeContext, node: Node | null, key: string): boolean | undefined {
  if (isNull(node)) return undefined;
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  typeError(context, node, 'bool', key);
  return undefined;
}

export function readStringList(context: DecodeContext, node: Node | null, key: string): string[] {
  if (isNull(node)) return [];
  if (!isSeq(node)) {
    typeError(context, node, '[]string', key);
    return [];
  }
  const values: string[] = [];
  node.items.forEach((item, index) => {
    const value = readString({ ...context, path: [...context.path, index] }, item as Node | null, key);
    if (value !== undefined) values.push(value);
  });
  return values;
}

/** Reads a list of mappings; non-mapping items are reported and skipped. */
export function readMapList(context: DecodeContext, node: Node | null, key: string, itemType: string): YAMLMap[] {
  if (isNull(node)) return [];
  if (!isSeq(node)) {
    typeError(context, node, `[]${itemType}`, key);
    return [];
  }
  const maps: YAMLMap[] = [];
  for (const item of node.items) {
    if (isMap(item)) maps.push(item);
    else if (!isNull(item as Node | null)) typeError(context, item as Node, itemType, key);
  }
  return maps;
}

/** The entries of a mapping, last duplicate winning (yaml.v2), with their spans. */
export function mapEntries(map: YAMLMap, context: DecodeContext): Map<string, { pair: Pair; spans: EntrySpans }> {
  const entries = new Map<string, { pair: Pair; spans: EntrySpans }>();
  for (const pair of map.items) {
    const keyNode = pair.key as Node | null;
    const name = isScalar(keyNode) ? String(keyNode.value) : '';
    const keySpan = spanOf(keyNode);
    const valueNode = pair.value as Node | null;
    const valueSpan = valueNode ? spanOf(valueNode) : { start: keySpan.end, end: keySpan.end };
    entries.set(name, {
      pair,
      spans: {
        key: keySpan,
        value: valueSpan,
        templated: context.isTemplated(valueSpan) || context.isTemplated(keySpan),
      },
    });
  }
  return entries;
}

export function valueNode(pair: Pair | undefined): Node | null {
  return (pair?.value as Node | null | undefined) ?? null;
}

/** A scalar string map (volume `secret:` files). */
export function readStringMap(
  context: DecodeContext,
  node: Node | null,
  key: string,
): Record<string, string> | undefined {
  if (isNull(node)) return undefined;
  if (!isMap(node)) {
    typeError(context, node, 'map[string]string', key);
    return undefined;
  }
  const result: Record<string, string> = {};
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    result[name] = readString(context, pair.value as Node | null, key) ?? '';
  }
  return result;
}
