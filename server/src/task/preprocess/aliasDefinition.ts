/**
 * The `alias:` block's content (spec §7.2) decoded the way acb's yaml.v2 struct decode sees it, with
 * spans, plus acb's validation messages. Shared by the run path ({@link resolveAliases}) and the editor.
 */
import { parseDocumentSafely } from '../yamlSafety';
import { isMap, isScalar, type Document } from 'yaml';
import { isAliasName } from './goText';
import type { PreprocessError, PreSpan } from './types';
import {
  decodeString,
  decodeStringMapEntries,
  GO_YAML_PARSE_OPTIONS,
  isYamlNull,
  nodeSpan,
  resolveNode,
  syntaxErrors,
  yamlKindName,
  type LocatedEntry,
  type LocatedTypeError,
  type MaybeNode,
  type ScalarReader,
} from './yamlDecode';

/** acb's error texts (spec §7.2). */
export const ALIAS_MESSAGES = {
  keyInvalid: 'alias key names only support alphanumeric characters',
  directiveLength: '$ directive can only be overwritten by a single character',
  directiveAlphanumeric: 'overwritten directives may not be alphanumeric characters',
  unmarshal: 'error during alias unmarshaling',
} as const;

export const DEFAULT_DIRECTIVE = '$';

/** What the block declares, in decode order. */
export interface AliasDefinition {
  /** `values` entries in source order (a later duplicate wins). */
  values: LocatedEntry[];
  src: { path: string; span: PreSpan }[];
  /** The `directive` as written ("" when absent or null, which keeps `$`). */
  directive: { value: string; span: PreSpan } | undefined;
  /** YAML syntax and type errors; acb stops at any of them. */
  errors: PreprocessError[];
}

function blockError(error: LocatedTypeError): PreprocessError {
  return { code: 'alias-block-invalid', message: `${ALIAS_MESSAGES.unmarshal}: ${error.message}`, span: error.span };
}

/** Decodes one `alias:` value into `definition` the way yaml.v2 decodes into an existing struct. */
function decodeAliasStruct(
  node: MaybeNode,
  doc: Document,
  read: ScalarReader,
  definition: AliasDefinition,
  typeErrors: LocatedTypeError[],
): void {
  const resolved = resolveNode(node, doc);
  if (isYamlNull(resolved)) {
    // A null value zeroes the whole struct.
    definition.values = [];
    definition.src = [];
    definition.directive = undefined;
    return;
  }
  if (!isMap(resolved)) {
    typeErrors.push({
      message: `cannot unmarshal ${yamlKindName(resolved)} into graph.Alias`,
      span: nodeSpan(resolved, 0),
    });
    return;
  }
  for (const pair of resolved.items) {
    const key = decodeString(pair.key as MaybeNode, doc, read);
    const keySpan = nodeSpan(pair.key as MaybeNode, resolved.range?.[0] ?? 0);
    if (!key.ok) {
      typeErrors.push({ message: key.message, span: keySpan });
      continue;
    }
    const value = pair.value as MaybeNode;
    const valueSpan = nodeSpan(value, keySpan.end);
    if (key.value === 'values') {
      // yaml.v2 decodes into the existing map (merging); null sets it to nil.
      const entries = decodeStringMapEntries(value, doc, read, typeErrors);
      definition.values = isYamlNull(resolveNode(value, doc)) ? [] : [...definition.values, ...entries];
    } else if (key.value === 'src') {
      definition.src = decodeSourceList(value, doc, read, typeErrors);
    } else if (key.value === 'directive') {
      const directive = decodeString(value, doc, read);
      if (directive.ok) definition.directive = { value: directive.value, span: valueSpan };
      else typeErrors.push({ message: directive.message, span: valueSpan });
    }
    // Other keys are ignored, as yaml.v2's non-strict decode does.
  }
}

function decodeSourceList(
  node: MaybeNode,
  doc: Document,
  read: ScalarReader,
  typeErrors: LocatedTypeError[],
): { path: string; span: PreSpan }[] {
  const resolved = resolveNode(node, doc);
  if (isYamlNull(resolved)) return [];
  if (!resolved || !('items' in resolved) || isMap(resolved)) {
    typeErrors.push({
      message: `cannot unmarshal ${yamlKindName(resolved)} into []string`,
      span: nodeSpan(resolved, 0),
    });
    return [];
  }
  const sources: { path: string; span: PreSpan }[] = [];
  for (const item of resolved.items as MaybeNode[]) {
    const span = nodeSpan(item, resolved.range?.[0] ?? 0);
    const path = decodeString(item, doc, read);
    if (path.ok) sources.push({ path: path.value, span });
    else typeErrors.push({ message: path.message, span });
  }
  return sources;
}

/**
 * Decodes a parsed block document (top-level `alias:` keys; repeated ones decode into the same struct,
 * as acb's concatenated blocks do).
 */
export function decodeAliasDocument(
  doc: Document,
  read: ScalarReader,
  options: { despiteSyntaxErrors?: boolean } = {},
): AliasDefinition {
  const definition: AliasDefinition = { values: [], src: [], directive: undefined, errors: [] };
  const syntax = syntaxErrors(doc);
  // acb stops at a syntax error; the editor still wants whatever could be read.
  if (syntax.length > 0 && options.despiteSyntaxErrors !== true) {
    definition.errors = syntax.map(blockError);
    return definition;
  }
  const typeErrors: LocatedTypeError[] = [];
  const root = resolveNode(doc.contents, doc);
  if (isMap(root)) {
    for (const pair of root.items) {
      const key = resolveNode(pair.key as MaybeNode, doc);
      if (isScalar(key) && key.value === 'alias') {
        decodeAliasStruct(pair.value as MaybeNode, doc, read, definition, typeErrors);
      }
    }
  } else if (!isYamlNull(root)) {
    typeErrors.push({
      message: `cannot unmarshal ${yamlKindName(root)} into the alias wrapper`,
      span: nodeSpan(root, 0),
    });
  }
  definition.errors = [...syntax, ...typeErrors].map(blockError);
  return definition;
}

/** Parses block text (already template-rendered on the run path) with yaml.v2-like options. */
export function parseAliasBlockText(text: string): Document {
  return parseDocumentSafely(text, GO_YAML_PARSE_OPTIONS);
}

/** acb's directive rule: "" keeps `$`; otherwise exactly one code point that is not `[A-Za-z0-9]`. */
export function directiveProblem(directive: string): string | undefined {
  if (directive === '') return undefined;
  if ([...directive].length !== 1) return ALIAS_MESSAGES.directiveLength;
  if (isAliasName(directive)) return ALIAS_MESSAGES.directiveAlphanumeric;
  return undefined;
}
