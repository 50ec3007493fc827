/**
 * Where step ids are written: each step's `id:` value and each item of a `when:` list, with the exact
 * span of the id text (inside quotes when quoted). Go-to-definition, references, rename, document
 * symbols and the `when` quick fixes all work from this list.
 */
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { SourceAnalysis } from '../task/analyze';
import type { Span } from '../task/model';
import { isTemplatedSpan, memoized } from './memo';

export interface StepIdSite {
  id: string;
  /** The id text itself (without quotes). */
  span: Span;
  /** Span of the whole scalar as written (quotes included). */
  nodeSpan: Span;
  /** `id`: a step's own id; `when`: a reference in a `when` list. */
  role: 'id' | 'when';
  stepIndex: number;
  /** The scalar is written without quotes. */
  plain: boolean;
}

function scalarSite(node: Scalar, role: StepIdSite['role'], stepIndex: number): StepIdSite | undefined {
  const range = node.range;
  if (!range) return undefined;
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  const plain = node.type === 'PLAIN' || node.type === undefined;
  if (!quoted && !plain) return undefined; // block scalars are not ids anyone writes
  const nodeSpan = { start: range[0], end: range[1] };
  const span = quoted ? { start: range[0] + 1, end: Math.max(range[0] + 1, range[1] - 1) } : nodeSpan;
  // As parseTask reads ids: strings as they are, other scalars (`id: 1`) as written.
  const id = typeof node.value === 'string' ? node.value : (node.source ?? '');
  return { id, span, nodeSpan, role, stepIndex, plain };
}

/** Every id and `when` reference of the task's steps, in file order; templated ones are left out. */
export function collectStepIdSites(analysis: SourceAnalysis): StepIdSite[] {
  return memoized(analysis, 'stepIdSites', () => readStepIdSites(analysis));
}

function readStepIdSites(analysis: SourceAnalysis): StepIdSite[] {
  const sites: StepIdSite[] = [];
  const root = analysis.parsed.document.contents;
  if (!isMap(root)) return sites;
  const steps = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'steps')?.value as
    Node | null | undefined;
  if (!isSeq(steps)) return sites;
  const templated = (span: Span) => isTemplatedSpan(analysis, span);
  let stepIndex = 0;
  for (const item of steps.items) {
    // parseTask numbers only the mapping items, so non-mappings do not advance the index.
    if (!isMap(item)) continue;
    for (const pair of item.items) {
      if (!isScalar(pair.key)) continue;
      const value = pair.value as Node | null;
      if (pair.key.value === 'id' && isScalar(value)) {
        const site = scalarSite(value, 'id', stepIndex);
        if (site && !templated(site.nodeSpan)) sites.push(site);
      } else if (pair.key.value === 'when' && isSeq(value)) {
        for (const entry of value.items) {
          if (!isScalar(entry)) continue;
          const site = scalarSite(entry, 'when', stepIndex);
          if (site && !templated(site.nodeSpan)) sites.push(site);
        }
      }
    }
    stepIndex++;
  }
  return sites;
}

/** The site under the cursor (a cursor right after the id counts). */
export function siteAt(sites: readonly StepIdSite[], offset: number): StepIdSite | undefined {
  return sites.find((site) => site.span.start <= offset && offset <= site.span.end);
}
