/**
 * Re-parsing after a keystroke inside a plain value, without parsing. Typing letters into the middle or
 * end of a one-line plain scalar (`cmd: app go test|`) changes no YAML token but that scalar: the tree
 * of the new text is the old tree with the scalar's text replaced and every offset after the edit moved.
 * On a large file that is a walk over the tree instead of a parse. Only edits where this is provably
 * what the parser would produce qualify; anything else is parsed afresh.
 */
import { type Document, isCollection, isPair, isScalar, type Node, Scalar } from 'yaml';
import type { TextChange } from './textChange';

/**
 * Characters that never start, end or split a YAML token inside a plain scalar (no indicators,
 * quotes, flow punctuation, comment or tag marks). A space is checked at the edges separately.
 */
const PLAIN_TEXT = /^[A-Za-z0-9_./=+ -]*$/;
const FORMS_TOKEN = /:\s|\s#|\{\{|\}\}/;

function within(node: unknown, start: number, end: number): boolean {
  const range = (node as Node | null | undefined)?.range;
  return range !== undefined && range !== null && range[0] <= start && end <= range[1];
}

/** The plain scalar holding [start, end), reached only through collection items and pair values. */
function valueScalarAt(document: Document, start: number, end: number): Scalar | undefined {
  let node: unknown = document.contents;
  while (isCollection(node)) {
    let next: unknown;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        // A key is never edited this way: keys decide the structure.
        if (within(item.key, start, end)) return undefined;
        if (within(item.value, start, end)) next = item.value;
      } else if (within(item, start, end)) next = item;
      if (next !== undefined) break;
    }
    node = next;
  }
  return isScalar(node) ? node : undefined;
}

function moveRange(node: Node, move: (offset: number) => number): void {
  const range = node.range;
  if (range) node.range = [move(range[0]), move(range[1]), move(range[2])];
}

function moveAll(node: unknown, move: (offset: number) => number): void {
  if (isPair(node)) {
    moveAll(node.key, move);
    moveAll(node.value, move);
    return;
  }
  if (node === null || typeof node !== 'object' || !('range' in node)) return;
  moveRange(node as Node, move);
  if (isCollection(node)) for (const item of node.items as unknown[]) moveAll(item, move);
}

/**
 * Moves `document` (parsed from `before`, as parseTask parses) onto `after`, in place, when `change` only
 * rewrites the inside of a one-line, untagged, unanchored plain scalar value with characters that keep
 * it one plain string token (and a string under the document's schema). Returns false, leaving the
 * document untouched, otherwise.
 */
export function moveDocumentThroughChange(
  document: Document,
  before: string,
  after: string,
  change: TextChange,
): boolean {
  const removed = before.slice(change.start, change.oldEnd);
  const inserted = after.slice(change.start, change.newEnd);
  if (!PLAIN_TEXT.test(removed) || !PLAIN_TEXT.test(inserted)) return false;
  const edges = (text: string, end: number) => text.slice(Math.max(0, change.start - 1), end + 1);
  if (FORMS_TOKEN.test(edges(before, change.oldEnd)) || FORMS_TOKEN.test(edges(after, change.newEnd))) return false;
  // A broken document's error recovery is the parser's business: parse it afresh.
  if (document.errors.length > 0 || document.warnings.length > 0) return false;
  const scalar = valueScalarAt(document, change.start, change.oldEnd);
  const range = scalar?.range;
  if (!scalar || !range || scalar.type !== Scalar.PLAIN || scalar.tag !== undefined || scalar.anchor !== undefined)
    return false;
  const [valueStart, valueEnd] = range;
  const written = before.slice(valueStart, valueEnd);
  // One line, no folding: the value is exactly the text written; the first character stays.
  if (written.includes('\n') || scalar.source !== written || scalar.value !== written) return false;
  if (change.start <= valueStart) return false;
  const delta = change.newEnd - change.oldEnd;
  const rewritten = after.slice(valueStart, valueEnd + delta);
  // Trailing blanks are not part of a plain value: one typed or uncovered at its end would not be in it.
  // And `-`, `?` or `:` first stay text only while no blank follows (`-t` → `- ` opens a sequence).
  if (/\s$/.test(rewritten) || /^[-?:]\s/.test(rewritten)) return false;
  // Still a string: no implicit tag of the schema (null, bool, int, float, timestamp…) matches it.
  const implicit = document.schema.tags.some(
    (tag) => !tag.collection && tag.default === true && tag.test !== undefined && tag.test.test(rewritten),
  );
  if (implicit) return false;
  const move = (offset: number) => (offset >= change.oldEnd ? offset + delta : offset);
  moveAll(document.contents, move);
  if (document.range) document.range = [move(document.range[0]), move(document.range[1]), move(document.range[2])];
  scalar.value = rewritten;
  scalar.source = rewritten;
  return true;
}
