/**
 * Paths into a YAML document (`['steps', 2, 'when', 0]`), found from an offset and resolved back to a
 * span. The language service uses them to know where the cursor is; the run loader uses them to map a
 * problem found in the rendered text onto the same place in the text the user wrote.
 */
import { type Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Span } from './model';

export type YamlPath = (string | number)[];

function contains(node: Node | null | undefined, offset: number): boolean {
  const range = node?.range;
  return range !== undefined && range !== null && range[0] <= offset && offset <= range[1];
}

/** The path of the deepest node containing `offset`; a key's own path ends with the key name. */
export function pathAt(document: Document, offset: number): YamlPath {
  const path: YamlPath = [];
  let node = document.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => contains(item.key as Node, offset) || contains(item.value as Node, offset),
      );
      if (!pair) return path;
      path.push(isScalar(pair.key) ? String(pair.key.value) : '');
      if (contains(pair.key as Node, offset)) return path;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item as Node, offset));
      if (index < 0) return path;
      path.push(index);
      node = node.items[index] as Node | null;
    } else {
      return path;
    }
  }
}

/** The span of the node at `path`, or of its deepest existing ancestor (whole document at worst). */
export function spanAtPath(document: Document, path: YamlPath): Span {
  let node = document.contents;
  let best: Span = { start: 0, end: 0 };
  const take = (candidate: Node | null | undefined) => {
    const range = candidate?.range;
    if (range) best = { start: range[0], end: range[1] };
  };
  take(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      node = pair.value as Node | null;
      take(node ?? (pair.key as Node));
    } else if (isSeq(node) && typeof segment === 'number') {
      node = (node.items[segment] as Node | null | undefined) ?? null;
      if (!node) break;
      take(node);
    } else {
      break;
    }
  }
  return best;
}
