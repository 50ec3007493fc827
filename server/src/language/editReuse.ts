/**
 * Reusing the previous analysis right behind a keystroke. Editors send a completion request right after
 * the `didChange` of the character just typed; on a large task file a fresh analysis takes as long as a
 * full YAML parse, so the list would wait for it. Typing inside a free-text value (a `cmd`, an
 * `entryPoint`) changes no fact completion reads — step ids, kinds, secrets, networks, volumes, aliases,
 * template fields — as long as the YAML tokens around it stay the same. This module recognises such an
 * edit conservatively and gives the old analysis a view of the new text; anything it cannot prove
 * harmless gets a fresh analysis instead.
 */
import { isMap, isScalar, isSeq, type Node, Scalar } from 'yaml';
import type { SourceAnalysis } from '../task/analyze';
import type { Span } from '../task/model';
import { keepsLineStart, spanThroughChange, type TextChange } from '../task/textChange';

/**
 * Step keys whose value is free text that completion never reads. Not `build` (push completion offers
 * the tags it builds), not `id`/`when`/`network` (offered elsewhere), not typed keys (`timeout: 30x`
 * changes the decoded value).
 */
const FREE_TEXT_STEP_KEYS: ReadonlySet<string> = new Set(['cmd', 'entryPoint', 'workingDirectory', 'user']);

/**
 * Characters that never start, end or split a YAML token inside a plain or block scalar, nor a
 * template (`{`), alias reference (`$`), comment (`#`), flow item (`,[]`) or quote. A space is
 * allowed too, but only where it cannot form `: ` or ` #` (checked around the change).
 */
const NEUTRAL_TEXT = /^[A-Za-z0-9_./=+ -]*$/;

function contains(node: Node | null | undefined, start: number, end: number): boolean {
  const range = node?.range;
  return range !== undefined && range !== null && range[0] <= start && end <= range[1];
}

/** The scalar value of a free-text key of a block step mapping holding [start, end), if any. */
function freeTextValueAt(analysis: SourceAnalysis, start: number, end: number): Scalar | undefined {
  const root = analysis.parsed.document.contents;
  if (!isMap(root)) return undefined;
  const stepsPair = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'steps');
  const steps = stepsPair?.value as Node | null | undefined;
  if (!isSeq(steps) || steps.flow || !contains(steps, start, end)) return undefined;
  const step = steps.items.find((item) => contains(item as Node, start, end)) as Node | undefined;
  if (!isMap(step) || step.flow) return undefined;
  const pair = step.items.find((candidate) => contains(candidate.value as Node, start, end));
  if (!pair || !isScalar(pair.key) || !FREE_TEXT_STEP_KEYS.has(String(pair.key.value))) return undefined;
  const value = pair.value as Node | null;
  if (!isScalar(value)) return undefined;
  const plain = value.type === Scalar.PLAIN;
  const block = value.type === Scalar.BLOCK_LITERAL || value.type === Scalar.BLOCK_FOLDED;
  return plain || block ? value : undefined;
}

function touchesAny(spans: readonly Span[], start: number, end: number): boolean {
  // Templates are few per line; a linear scan of a large file's is still well under a millisecond.
  return spans.some((span) => span.start <= end && start <= span.end);
}

/**
 * True when `change` (old `analysis.text` → `after`) only rewrites the inside of a free-text step value
 * on one line, with characters that cannot change how the YAML, the templates, the alias references or
 * the comment lines around it are read: every fact completion takes from the analysis stays the same.
 */
export function isFactNeutral(analysis: SourceAnalysis, after: string, change: TextChange): boolean {
  const before = analysis.text;
  const removed = before.slice(change.start, change.oldEnd);
  const inserted = after.slice(change.start, change.newEnd);
  if (!NEUTRAL_TEXT.test(removed) || !NEUTRAL_TEXT.test(inserted)) return false;
  // Same line, and after its first character: indentation, `- ` markers and whole-line comments
  // (`#` first) are untouched, and the value keeps its first character (so it stays non-empty).
  if (!keepsLineStart(before, change)) return false;
  const value = freeTextValueAt(analysis, change.start, change.oldEnd);
  if (value?.range === undefined || value.range === null) return false;
  const [valueStart, valueEnd] = value.range;
  if (change.start <= valueStart) return false;
  if (value.type !== Scalar.PLAIN && before.lastIndexOf('\n', change.start - 1) < valueStart) return false;
  // No `: `, ` #`, `{{` or `}}` formed or split at the edges (`{x{` with the `x` deleted opens a
  // template action); spaces never at the end of a plain value (trailing blanks are not part of it).
  const edges = (text: string, end: number) => text.slice(Math.max(0, change.start - 1), end + 1);
  const formsToken = /:\s|\s#|\{\{|\}\}/;
  if (formsToken.test(edges(after, change.newEnd)) || formsToken.test(edges(before, change.oldEnd))) return false;
  if (value.type === Scalar.PLAIN && /\s/.test(inserted + removed) && change.oldEnd >= valueEnd) return false;
  // `-`, `?` or `:` first stay text only while no blank follows (`-t` → `- ` opens a sequence).
  if (/^[-?:]\s/.test(after.slice(valueStart, valueStart + 2))) return false;
  return !touchesAny(
    analysis.template.actions.map((action) => action.span),
    change.start - 1,
    change.oldEnd + 1,
  );
}

/**
 * The old analysis seen through a fact-neutral change: the new text, template spans moved with it.
 * Its YAML tree and task model still carry the old offsets after the change, so it may only answer
 * questions that need no exact offset past `change.start` (see `completeWithoutTreeOffsets`).
 */
export function viewThroughChange(analysis: SourceAnalysis, after: string, change: TextChange): SourceAnalysis {
  return {
    ...analysis,
    text: after,
    templateSpans: analysis.templateSpans.map((span) => spanThroughChange(span, change)),
  };
}
