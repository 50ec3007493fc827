/**
 * Which schema kind a mapping in a task file is (top level, step, secret, network, volume, volume
 * mount, alias block), from its YAML path, and every key written in such a mapping. The unknown-key
 * and ignored-key rules, hover and completion all classify keys this way.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { SourceAnalysis } from '../task/analyze';
import type { Span } from '../task/model';
import type { YamlPath } from '../task/yamlPath';
import { isTemplatedSpan, memoized } from './memo';
import type { KeyKind } from './schemaKeys';

const LIST_KINDS: Record<string, KeyKind> = {
  steps: 'step',
  secrets: 'secret',
  networks: 'network',
  volumes: 'volume',
};

/** The kind of the mapping at `path`, or undefined for mappings the schema does not describe. */
export function kindOfMappingPath(path: YamlPath): KeyKind | undefined {
  if (path.length === 0) return 'task';
  const [first, index, third, mountIndex] = path;
  if (path.length === 1 && first === 'alias') return 'alias';
  if (typeof first !== 'string' || typeof index !== 'number') return undefined;
  const kind = LIST_KINDS[first];
  if (path.length === 2) return kind;
  if (kind === 'step' && third === 'volumeMounts' && typeof mountIndex === 'number' && path.length === 4)
    return 'volumeMount';
  return undefined;
}

export interface KeySite {
  kind: KeyKind;
  name: string;
  span: Span;
  /** Path of the mapping holding the key. */
  path: YamlPath;
}

function keysOfMap(node: Node | null | undefined, path: YamlPath, analysis: SourceAnalysis, out: KeySite[]): void {
  if (!isMap(node)) return;
  const kind = kindOfMappingPath(path);
  if (kind === undefined) return;
  for (const pair of node.items) {
    const key = pair.key as Node | null;
    if (!isScalar(key) || !key.range) continue;
    const span = { start: key.range[0], end: key.range[1] };
    if (isTemplatedSpan(analysis, span)) continue;
    const name = String(key.value);
    out.push({ kind, name, span, path });
    const value = pair.value as Node | null;
    if (kind === 'task' && name === 'alias') keysOfMap(value, ['alias'], analysis, out);
    const listKind = (kind === 'task' && LIST_KINDS[name]) || (kind === 'step' && name === 'volumeMounts');
    if (listKind && isSeq(value)) {
      let itemIndex = 0;
      for (const item of value.items) {
        // Indices count mapping items only, as parseTask numbers steps.
        if (!isMap(item)) continue;
        keysOfMap(item, [...path, name, itemIndex], analysis, out);
        itemIndex++;
      }
    }
  }
}

/** Every key written in a mapping the schema describes, in document order. */
export function collectKeySites(analysis: SourceAnalysis): KeySite[] {
  return memoized(analysis, 'keySites', () => {
    const out: KeySite[] = [];
    keysOfMap(analysis.parsed.document.contents, [], analysis, out);
    return out;
  });
}
