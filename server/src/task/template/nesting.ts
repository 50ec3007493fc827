/**
 * A linear pre-check of template nesting. The parser and executor recurse per nested block and per
 * parenthesis; at absurd depth JavaScript runs out of stack, and near that point V8 can abort the whole
 * process instead of throwing (see task/yamlSafety.ts). Real task files nest a handful of levels.
 */
export const MAX_TEMPLATE_NESTING = 500;

const OPENERS = /^\{\{-?\s*(?:if|range|with|define|block)\b/;
const CLOSER = /^\{\{-?\s*end\b/;

/** The offset where nesting first passes the limit, or undefined. */
export function templateTooDeep(text: string, limit = MAX_TEMPLATE_NESTING): number | undefined {
  let blocks = 0;
  for (let start = text.indexOf('{{'); start >= 0; start = text.indexOf('{{', start + 2)) {
    const head = text.slice(start, start + 16);
    if (OPENERS.test(head)) {
      if (++blocks > limit) return start;
    } else if (CLOSER.test(head) && blocks > 0) blocks--;
    const end = text.indexOf('}}', start + 2);
    let parentheses = 0;
    for (let index = start + 2; index < (end < 0 ? text.length : end); index++) {
      if (text[index] === '(' && ++parentheses > limit) return index;
      if (text[index] === ')' && parentheses > 0) parentheses--;
    }
    if (end < 0) break;
  }
  return undefined;
}
