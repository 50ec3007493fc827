/**
 * Per-analysis memoization. The cache hands out one SourceAnalysis object per document version, so
 * what is derived from it (key sites, the alias block, template facts) is computed once per version
 * and shared by validation, completion, hover and the rest.
 */
import type { SourceAnalysis } from '../task/analyze';
import type { Span } from '../task/model';

const store = new WeakMap<SourceAnalysis, Map<string, unknown>>();

/** `compute()` once per analysis and key. */
export function memoized<T>(analysis: SourceAnalysis, key: string, compute: () => T): T {
  let values = store.get(analysis);
  if (!values) {
    values = new Map();
    store.set(analysis, values);
  }
  if (values.has(key)) return values.get(key) as T;
  const value = compute();
  values.set(key, value);
  return value;
}

/**
 * Whether a span overlaps a masked template, by binary search over the analysis' template spans
 * (sorted and disjoint): a large file has thousands of both keys and templates.
 */
export function isTemplatedSpan(analysis: SourceAnalysis, span: Span): boolean {
  const templates = analysis.templateSpans;
  let low = 0;
  let high = templates.length;
  // First template that ends after the span starts.
  while (low < high) {
    const middle = (low + high) >> 1;
    if (templates[middle].end <= span.start) low = middle + 1;
    else high = middle;
  }
  const candidate = templates[low];
  return candidate !== undefined && candidate.start < span.end && span.start < candidate.end;
}
