/**
 * Completion sites inside flow collections (`- {id: c, when: [a, |]}`), which the line reading cannot
 * see into: the YAML parser's tree (error-tolerant) says which list the cursor is in.
 */
import { isScalar, isSeq, type Node } from 'yaml';
import type { SourceAnalysis } from '../../task/analyze';
import type { Span } from '../../task/model';
import { pathAt } from '../../task/yamlPath';
import { kindOfMappingPath } from '../keySites';
import type { CompletionSite } from './cursorContext';

/** An item site of a flow list holding `offset`, if any. */
export function flowItemSite(analysis: SourceAnalysis, offset: number, word: Span): CompletionSite | undefined {
  const document = analysis.parsed.document;
  const path = pathAt(document, offset);
  const node = document.getIn(path, true) as Node | undefined;
  let listPath = path;
  if (isScalar(node) && typeof path[path.length - 1] === 'number') listPath = path.slice(0, -1);
  else if (!isSeq(node)) return undefined;
  const key = listPath[listPath.length - 1];
  const kind = kindOfMappingPath(listPath.slice(0, -1));
  if (typeof key !== 'string' || kind === undefined) return undefined;
  const quoted = /["']$/.test(analysis.text.slice(Math.max(0, word.start - 1), word.start));
  return { type: 'item', kind, path: listPath, key, quoted, word, prefix: analysis.text.slice(word.start, offset) };
}
