/**
 * Delta debugging (Zeller's ddmin, simplified) for crash reports: shrinks a failing document to a
 * small one that still fails the same way, first by whole lines, then by characters, so a fuzz
 * failure names a reproducer a person can read instead of a 3 kB mutant.
 */

/** Removes chunks of `parts` while `stillFails` holds; returns the smallest list found. */
function ddmin<T>(parts: T[], stillFails: (candidate: T[]) => boolean, budget: { left: number }): T[] {
  let current = parts;
  let chunks = 2;
  while (current.length >= 2 && budget.left > 0) {
    const size = Math.ceil(current.length / chunks);
    let reduced = false;
    for (let start = 0; start < current.length && budget.left > 0; start += size) {
      const candidate = [...current.slice(0, start), ...current.slice(start + size)];
      budget.left--;
      if (stillFails(candidate)) {
        current = candidate;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (chunks >= current.length) break;
      chunks = Math.min(chunks * 2, current.length);
    }
  }
  if (current.length === 1 && budget.left > 0) {
    budget.left--;
    if (stillFails([])) return [];
  }
  return current;
}

/**
 * The smallest text (by lines, then characters) for which `fails` still returns true. `fails` must be
 * true for `text`; at most `maxTries` evaluations are spent.
 */
export function minimiseText(text: string, fails: (candidate: string) => boolean, maxTries = 4000): string {
  const budget = { left: maxTries };
  const safeFails = (candidate: string) => {
    try {
      return fails(candidate);
    } catch {
      return false;
    }
  };
  const lines = ddmin(text.split(/(?<=\n)/), (candidate) => safeFails(candidate.join('')), budget).join('');
  return ddmin([...lines], (candidate) => safeFails(candidate.join('')), budget).join('');
}
