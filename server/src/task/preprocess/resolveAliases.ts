import {
  ALIAS_MESSAGES,
  decodeAliasDocument,
  DEFAULT_DIRECTIVE,
  directiveProblem,
  parseAliasBlockText,
} from './aliasDefinition';
import { isAliasName } from './goText';
import { PREDEFINED_ALIASES } from './predefined';
import type { PreprocessError, PreSpan } from './types';
import { parseFlatStringMap, scalarText } from './yamlDecode';

/** Loads one `src` entry (local path or URL): its text, or why it could not be read. */
export type AliasSourceReader = (src: string) => { text: string } | { error: string };

/** Where an alias's final value came from (for hovers and go-to-definition). */
export type AliasOrigin =
  { kind: 'values'; span: PreSpan } | { kind: 'src'; src: string; span: PreSpan } | { kind: 'predefined' };

export interface ResolvedAliases {
  /** The merged map; best effort when `errors` is not empty (acb would stop at the first error). */
  aliases: Map<string, string>;
  /** The directive character in effect (`$` unless a valid `directive` says otherwise). */
  directive: string;
  /** In acb's evaluation order, so `errors[0]` is the one acb reports. Spans are in `renderedBlock`. */
  errors: PreprocessError[];
  origins: Map<string, AliasOrigin>;
}

export interface ResolveAliasesOptions {
  /** The lowest-precedence map; acb's Linux defaults unless given (see `predefinedAliases`). */
  predefined?: ReadonlyMap<string, string>;
}

/**
 * Spec §7.2: decode the (already template-rendered) alias block, load its `src` entries and merge with
 * the precedence `values` > later `src` > earlier `src` > predefined; then validate the directive and
 * every key of the merged map (so keys from `src` files too). Never throws.
 */
export function resolveAliases(
  renderedBlock: string | undefined,
  readSource: AliasSourceReader,
  options: ResolveAliasesOptions = {},
): ResolvedAliases {
  const definition = decodeAliasDocument(parseAliasBlockText(renderedBlock ?? ''), scalarText);
  const errors: PreprocessError[] = [...definition.errors];
  const aliases = new Map<string, string>();
  const origins = new Map<string, AliasOrigin>();
  const keySpans = new Map<string, PreSpan>();

  for (const entry of definition.values) {
    aliases.set(entry.name, entry.value);
    origins.set(entry.name, { kind: 'values', span: entry.keySpan });
    keySpans.set(entry.name, entry.keySpan);
  }
  // acb walks `src` from last to first and only adds names not yet defined: later entries win.
  for (const source of [...definition.src].reverse()) {
    const loaded = loadSource(source.path, readSource);
    if (loaded.error !== undefined) {
      errors.push({
        code: 'alias-src-failed',
        message: `failed to load alias src ${JSON.stringify(source.path)}: ${loaded.error}`,
        span: source.span,
      });
      continue;
    }
    for (const [name, value] of loaded.map) {
      if (aliases.has(name)) continue;
      aliases.set(name, value);
      origins.set(name, { kind: 'src', src: source.path, span: source.span });
      keySpans.set(name, source.span);
    }
  }
  for (const [name, value] of options.predefined ?? PREDEFINED_ALIASES) {
    if (aliases.has(name)) continue;
    aliases.set(name, value);
    origins.set(name, { kind: 'predefined' });
  }

  let directive = DEFAULT_DIRECTIVE;
  if (definition.directive !== undefined) {
    const problem = directiveProblem(definition.directive.value);
    if (problem !== undefined) {
      errors.push({ code: 'alias-directive-invalid', message: problem, span: definition.directive.span });
    } else if (definition.directive.value !== '') {
      directive = definition.directive.value;
    }
  }
  for (const name of aliases.keys()) {
    if (isAliasName(name)) continue;
    errors.push({
      code: 'alias-key-invalid',
      message: `${ALIAS_MESSAGES.keyInvalid}: ${JSON.stringify(name)}`,
      span: keySpans.get(name) ?? { start: 0, end: 0 },
    });
  }
  return { aliases, directive, errors, origins };
}

function loadSource(path: string, readSource: AliasSourceReader): { map: Map<string, string>; error?: string } {
  let loaded: { text: string } | { error: string };
  try {
    loaded = readSource(path);
  } catch (error) {
    // The reader is the caller's I/O; a throwing one must not break the pure pipeline.
    return { map: new Map(), error: error instanceof Error ? error.message : String(error) };
  }
  if ('error' in loaded) return { map: new Map(), error: loaded.error };
  const parsed = parseFlatStringMap(loaded.text);
  if (parsed.errors.length > 0) return { map: new Map(), error: parsed.errors.join('; ') };
  return { map: parsed.map };
}
