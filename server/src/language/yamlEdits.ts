/**
 * Text edits that remove a mapping entry or a list item cleanly in both YAML styles: in block style
 * the whole lines go, in flow style the item and one separating comma.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { SourceAnalysis } from '../task/analyze';
import type { Span } from '../task/model';

/** The mapping node of the step with this index (mapping items only, as parseTask counts). */
export function stepNode(analysis: SourceAnalysis, index: number): YAMLMap | undefined {
  const root = analysis.parsed.document.contents;
  if (!isMap(root)) return undefined;
  const steps = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'steps')?.value as Node | null;
  if (!isSeq(steps)) return undefined;
  return steps.items.filter((item): item is YAMLMap => isMap(item))[index];
}

export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === key);
}

function rangeOf(node: unknown): Span | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? { start: range[0], end: range[1] } : undefined;
}

/** Whole lines from the line holding `start` through the line holding `end - 1`, with the line break. */
function wholeLines(text: string, start: number, end: number): Span {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lastChar = Math.max(start, end - 1);
  const newline = text.indexOf('\n', lastChar);
  return { start: lineStart, end: newline < 0 ? text.length : newline + 1 };
}

/** What to delete to remove `items[index]` of a flow collection: the item and one comma next to it. */
function flowRemoval(spans: Span[], index: number): Span {
  const own = spans[index];
  const previous = spans[index - 1];
  if (previous) return { start: previous.end, end: own.end };
  const next = spans[index + 1];
  if (next) return { start: own.start, end: next.start };
  return own;
}

function blockStart(text: string, start: number): number {
  // A block item starts at its `- ` marker (or the key) — the line must hold nothing else before it.
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return /^[\s-]*$/.test(text.slice(lineStart, start)) ? lineStart : start;
}

/** The span to delete to remove one entry of a mapping. */
export function removePairSpan(text: string, map: YAMLMap, pair: Pair): Span | undefined {
  const index = map.items.indexOf(pair);
  const key = rangeOf(pair.key);
  if (index < 0 || !key) return undefined;
  const end = rangeOf(pair.value)?.end ?? key.end;
  if (map.flow) {
    const spans = map.items.map((item) => ({
      start: rangeOf(item.key)?.start ?? 0,
      end: rangeOf(item.value)?.end ?? rangeOf(item.key)?.end ?? 0,
    }));
    return flowRemoval(spans, index);
  }
  const lineStart = text.lastIndexOf('\n', key.start - 1) + 1;
  const before = text.slice(lineStart, key.start);
  if (/^\s*$/.test(before)) return wholeLines(text, lineStart, end);
  // `- key: value` opens a list item: keep the marker and let the next key take the entry's place.
  const nextKey = rangeOf(map.items[index + 1]?.key);
  if (/^[\s-]*$/.test(before) && nextKey) return { start: key.start, end: nextKey.start };
  return { start: key.start, end };
}

/** The span to delete to remove item `index` of a sequence. */
export function removeItemSpan(text: string, seq: YAMLSeq, index: number): Span | undefined {
  const spans = seq.items.map((item) => rangeOf(item));
  if (spans.some((span) => span === undefined)) return undefined;
  const own = spans[index];
  if (!own) return undefined;
  if (seq.flow) return flowRemoval(spans as Span[], index);
  return wholeLines(text, blockStart(text, own.start), own.end);
}
