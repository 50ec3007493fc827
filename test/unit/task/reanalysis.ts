/** Shared by the tests of re-analysis from a previous version (tests only). */
import { type Document, isCollection, isPair, isScalar } from 'yaml';
import { analyzeSource, type SourceAnalysis } from '../../../server/src/task/analyze';

/** Everything of a YAML tree that analysis reads: ranges, values, sources, types, tags, errors. */
export function shape(document: Document): unknown[] {
  const nodes: unknown[] = [{ range: document.range, errors: document.errors.map((e) => [e.code, e.pos, e.message]) }];
  const walk = (node: unknown, path: string): void => {
    if (isPair(node)) {
      walk(node.key, `${path}.key`);
      walk(node.value, `${path}.value`);
    } else if (isScalar(node)) {
      nodes.push([path, node.range, node.value, node.source, node.type, node.tag]);
    } else if (isCollection(node)) {
      nodes.push([path, node.range, node.flow]);
      node.items.forEach((item, index) => walk(item, `${path}.${index}`));
    }
  };
  walk(document.contents, '');
  return nodes;
}

/** `after` analysed from the analysis of `before` (what the editor does after a keystroke). */
export function reanalyse(before: string, after: string): { previous: SourceAnalysis; reanalysed: SourceAnalysis } {
  const previous = analyzeSource(before);
  const reanalysed = analyzeSource(after, {
    text: previous.text,
    template: previous.template,
    masked: previous.masked,
    document: previous.parsed.document,
  });
  return { previous, reanalysed };
}
