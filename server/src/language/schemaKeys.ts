/**
 * A typed view of schemas/acr-task.schema.json, the single source of every key's type, engine default,
 * enum, docs and ACR quirks. Completion, hover and diagnostics read keys from here instead of keeping
 * their own tables, so the editor and generic YAML tools (yaml-language-server) always agree.
 *
 * Schema conventions this reader relies on (the schema's `$comment` states them too):
 * - a key's value type is its schema after dropping `anyOf` branches that `$ref` a definition marked
 *   `x-acr.alternative` (template actions, YAML 1.1 booleans): those are other spellings, not the type;
 * - objects of a known kind are `$ref`s to `#/definitions/<kind>`, wrapped in a one-element `allOf` when
 *   the key has keywords of its own (draft-07 ignores keywords beside `$ref`);
 * - keys the engine ignores carry a `deprecationMessage`; they are kept out of the per-kind lists and
 *   reachable through `ignoredKeys` / `keyInfo`.
 */
import schemaDocument from '../../../schemas/acr-task.schema.json';
import type { StepKind } from '../task/model';

/** The objects of a task file whose keys the schema describes (`task` = the top level). */
export type KeyKind = 'task' | 'step' | 'network' | 'volume' | 'volumeMount' | 'secret' | 'alias';

/**
 * What a key's value must be after rendering. `string` keys also accept YAML numbers and booleans
 * (ACR's decoder turns any scalar into text); `stringMap` is a mapping of names to text;
 * `objectArray`/`object` hold objects of the kind in `KeyInfo.children`; `any` = the schema does not say
 * (only for keys ACR ignores).
 */
export type KeyValueType =
  'string' | 'integer' | 'boolean' | 'stringArray' | 'integerArray' | 'objectArray' | 'stringMap' | 'object' | 'any';

/** Everything the schema says about one key. */
export interface KeyInfo {
  readonly name: string;
  /** The object the key belongs to. */
  readonly kind: KeyKind;
  readonly type: KeyValueType;
  /** For `objectArray` and `object`: the kind of the nested objects. */
  readonly children?: KeyKind;
  /** ACR's engine default (not the docs' where they differ, e.g. `retryDelay` 5). */
  readonly default?: string | number | boolean;
  /** Accepted values, for keys that have a fixed set (matched case-insensitively by ACR where noted). */
  readonly enum?: readonly string[];
  /** ECMAScript pattern a text value must match (e.g. volume names), when the schema has one. */
  readonly pattern?: string;
  /** ECMAScript pattern every map key must match (`stringMap` keys such as alias names). */
  readonly keyPattern?: string;
  /** Smallest accepted integer (e.g. `retries` >= 0). */
  readonly minimum?: number;
  /** The parent object is invalid without this key. */
  readonly required: boolean;
  /** One plain line: what the key does. */
  readonly summary: string;
  /** Markdown: what the key does and ACR's quirks. */
  readonly description: string;
  /** Step keys: the step kinds the engine actually uses the key for. */
  readonly appliesTo?: readonly StepKind[];
  /** Step keys: why the key has no effect on the other step kinds. */
  readonly ignoredNote?: string;
  /** The Microsoft Learn YAML reference section for the key (absent for undocumented keys). */
  readonly docsUrl?: string;
  /** The engine reads the key but Microsoft's YAML reference does not document it. */
  readonly undocumented: boolean;
  /**
   * An engine internal that happens to be decodable (`isbuildtask`, step `tags`): valid, explained on
   * hover, but not offered by completion (the schema's `doNotSuggest`).
   */
  readonly internal: boolean;
  /**
   * Set only for keys ACR ignores entirely (e.g. `volumeMount`, step `secret`, `totalTimeout`): the
   * warning to show. Such keys are not in the per-kind lists.
   */
  readonly ignoredByEngine?: string;
}

type JsonObject = { readonly [key: string]: unknown };

const STEP_KINDS: readonly StepKind[] = ['cmd', 'build', 'push'];
const KIND_DEFINITIONS: Readonly<Record<Exclude<KeyKind, 'task'>, string>> = {
  step: 'step',
  network: 'network',
  volume: 'volume',
  volumeMount: 'volumeMount',
  secret: 'secret',
  alias: 'alias',
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function schemaError(message: string): Error {
  return new Error(`schemas/acr-task.schema.json: ${message}`);
}

const root: JsonObject = isObject(schemaDocument) ? schemaDocument : {};
const definitions: JsonObject = isObject(root.definitions) ? root.definitions : {};

function definition(name: string): JsonObject {
  const found = definitions[name];
  if (!isObject(found)) throw schemaError(`missing definition "${name}"`);
  return found;
}

function refName(node: JsonObject): string | undefined {
  const ref = node.$ref;
  if (typeof ref !== 'string') return undefined;
  const prefix = '#/definitions/';
  if (!ref.startsWith(prefix)) throw schemaError(`unsupported $ref "${ref}"`);
  return ref.slice(prefix.length);
}

function acrMeta(node: JsonObject): JsonObject {
  return isObject(node['x-acr']) ? node['x-acr'] : {};
}

function isAlternative(node: JsonObject): boolean {
  const name = refName(node);
  return name !== undefined && acrMeta(definition(name)).alternative === true;
}

/** A schema branch describing the real value, and the definition it came from (if any). */
interface Branch {
  schema: JsonObject;
  definitionName?: string;
}

/** The branches of `node` that describe the value's type, alternatives (templates…) dropped. */
function realBranches(node: JsonObject): Branch[] {
  const name = refName(node);
  if (name !== undefined) {
    const target = definition(name);
    const inner = realBranches(target);
    return inner.length === 1 && inner[0].definitionName === undefined
      ? [{ schema: inner[0].schema, definitionName: name }]
      : inner;
  }
  if (Array.isArray(node.allOf)) {
    const parts = node.allOf.filter(isObject);
    if (parts.length !== 1) throw schemaError('only one-element allOf wrappers are supported');
    return realBranches(parts[0]);
  }
  if (Array.isArray(node.anyOf)) {
    return node.anyOf.filter(isObject).flatMap((branch) => (isAlternative(branch) ? [] : realBranches(branch)));
  }
  return [{ schema: node }];
}

function kindOfDefinition(name: string | undefined): KeyKind | undefined {
  if (name === undefined) return undefined;
  return (Object.keys(KIND_DEFINITIONS) as (keyof typeof KIND_DEFINITIONS)[]).find(
    (kind) => KIND_DEFINITIONS[kind] === name,
  );
}

function primaryType(schema: JsonObject): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null');
  if (Array.isArray(schema.enum)) return typeof schema.enum[0];
  return undefined;
}

function valueType(branches: Branch[]): { type: KeyValueType; children?: KeyKind } {
  const first = branches[0];
  if (first === undefined) return { type: 'any' };
  const objectKind = kindOfDefinition(first.definitionName);
  if (objectKind !== undefined) return { type: 'object', children: objectKind };
  switch (primaryType(first.schema)) {
    case 'string':
    case 'number':
      return { type: 'string' };
    case 'integer':
      return { type: 'integer' };
    case 'boolean':
      return { type: 'boolean' };
    case 'object':
      return { type: 'stringMap' };
    case 'array': {
      const items = isObject(first.schema.items) ? realBranches(first.schema.items) : [];
      const itemKind = kindOfDefinition(items[0]?.definitionName);
      if (itemKind !== undefined) return { type: 'objectArray', children: itemKind };
      return { type: items[0] && primaryType(items[0].schema) === 'integer' ? 'integerArray' : 'stringArray' };
    }
    default:
      return { type: 'any' };
  }
}

function firstDefined<T>(branches: Branch[], pick: (schema: JsonObject) => T | undefined): T | undefined {
  for (const branch of branches) {
    const value = pick(branch.schema);
    if (value !== undefined) return value;
  }
  return undefined;
}

function optionalString(node: JsonObject, key: string): string | undefined {
  const value = node[key];
  return typeof value === 'string' ? value : undefined;
}

function readKey(kind: KeyKind, name: string, node: JsonObject, required: boolean): KeyInfo {
  const meta = acrMeta(node);
  const branches = realBranches(node);
  const { type, children } = valueType(branches);
  const summary = optionalString(node, 'description');
  const description = optionalString(node, 'markdownDescription') ?? summary;
  if (summary === undefined || description === undefined) throw schemaError(`${kind}.${name} has no description`);
  const appliesTo = Array.isArray(meta.appliesTo)
    ? meta.appliesTo.map((stepKind) => {
        const known = STEP_KINDS.find((candidate) => candidate === stepKind);
        if (known === undefined) throw schemaError(`${kind}.${name}: unknown appliesTo "${String(stepKind)}"`);
        return known;
      })
    : undefined;
  const defaultValue = node.default;
  const enumValues = firstDefined(branches, (schema) =>
    Array.isArray(schema.enum) ? schema.enum.filter((value): value is string => typeof value === 'string') : undefined,
  );
  const info: KeyInfo = {
    name,
    kind,
    type,
    required,
    summary,
    description,
    undocumented: meta.undocumented === true,
    internal: node.doNotSuggest === true,
    ...(children !== undefined && { children }),
    ...((typeof defaultValue === 'string' || typeof defaultValue === 'number' || typeof defaultValue === 'boolean') && {
      default: defaultValue,
    }),
    ...(enumValues !== undefined && { enum: Object.freeze(enumValues) }),
    ...withOptional(
      'pattern',
      firstDefined(branches, (schema) => optionalString(schema, 'pattern')),
    ),
    ...withOptional(
      'keyPattern',
      firstDefined(branches, (schema) =>
        isObject(schema.propertyNames) ? optionalString(schema.propertyNames, 'pattern') : undefined,
      ),
    ),
    ...withOptional(
      'minimum',
      firstDefined(branches, (schema) => (typeof schema.minimum === 'number' ? schema.minimum : undefined)),
    ),
    ...(appliesTo !== undefined && { appliesTo: Object.freeze(appliesTo) }),
    ...withOptional('ignoredNote', optionalString(meta, 'ignoredNote')),
    ...withOptional('docsUrl', optionalString(meta, 'docsUrl')),
    ...withOptional('ignoredByEngine', optionalString(node, 'deprecationMessage')),
  };
  return Object.freeze(info);
}

function withOptional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function readKind(kind: KeyKind): KeyInfo[] {
  const node = kind === 'task' ? root : definition(KIND_DEFINITIONS[kind]);
  const properties = isObject(node.properties) ? node.properties : {};
  const required = Array.isArray(node.required) ? node.required : [];
  return Object.entries(properties).map(([name, property]) => {
    if (!isObject(property)) throw schemaError(`${kind}.${name} is not a schema object`);
    return readKey(kind, name, property, required.includes(name));
  });
}

const KINDS: readonly KeyKind[] = ['task', 'step', 'network', 'volume', 'volumeMount', 'secret', 'alias'];
const allKeys = new Map<KeyKind, ReadonlyMap<string, KeyInfo>>(
  KINDS.map((kind) => [kind, new Map(readKind(kind).map((info) => [info.name, info]))]),
);

function effectiveKeys(kind: KeyKind): readonly KeyInfo[] {
  return Object.freeze([...(allKeys.get(kind)?.values() ?? [])].filter((info) => info.ignoredByEngine === undefined));
}

/** Top-level task keys (`version`, `steps`, `stepTimeout`, …), in schema order. */
export const topLevelKeys: readonly KeyInfo[] = effectiveKeys('task');
/** Keys of a step (`id`, `cmd`, `build`, `push`, `when`, …), in schema order. */
export const stepKeys: readonly KeyInfo[] = effectiveKeys('step');
/** Keys of a `networks[]` entry. */
export const networkKeys: readonly KeyInfo[] = effectiveKeys('network');
/** Keys of a `volumes[]` entry. */
export const volumeKeys: readonly KeyInfo[] = effectiveKeys('volume');
/** Keys of a step's `volumeMounts[]` entry. */
export const volumeMountKeys: readonly KeyInfo[] = effectiveKeys('volumeMount');
/** Keys of a `secrets[]` entry. */
export const secretKeys: readonly KeyInfo[] = effectiveKeys('secret');
/** Keys of the `alias:` block. */
export const aliasKeys: readonly KeyInfo[] = effectiveKeys('alias');

/**
 * Keys people write (from the docs' tables or other tools) that ACR ignores, per kind — e.g. step
 * `volumeMount` (singular) and `secret`, top-level `totalTimeout`. Each has `ignoredByEngine` set.
 */
export const ignoredKeys: Readonly<Record<KeyKind, readonly KeyInfo[]>> = Object.freeze(
  Object.fromEntries(
    KINDS.map((kind) => [
      kind,
      Object.freeze([...(allKeys.get(kind)?.values() ?? [])].filter((info) => info.ignoredByEngine !== undefined)),
    ]),
  ) as Record<KeyKind, readonly KeyInfo[]>,
);

/** The effective keys of one kind of object (the lists above, by kind). */
export function keysOf(kind: KeyKind): readonly KeyInfo[] {
  switch (kind) {
    case 'task':
      return topLevelKeys;
    case 'step':
      return stepKeys;
    case 'network':
      return networkKeys;
    case 'volume':
      return volumeKeys;
    case 'volumeMount':
      return volumeMountKeys;
    case 'secret':
      return secretKeys;
    case 'alias':
      return aliasKeys;
  }
}

/**
 * What the schema says about `name` in an object of `kind` (case-sensitive, as ACR's YAML keys are),
 * including keys ACR ignores (`ignoredByEngine` set); undefined for keys the schema does not know.
 */
export function keyInfo(kind: KeyKind, name: string): KeyInfo | undefined {
  return allKeys.get(kind)?.get(name);
}

/** True when the engine uses `info` (a step key) for steps of `stepKind`; non-step keys always apply. */
export function keyAppliesTo(info: KeyInfo, stepKind: StepKind): boolean {
  return info.appliesTo === undefined || info.appliesTo.includes(stepKind);
}
