/**
 * Delta debugging (Zeller's ddmin, simplified) for crash reports: shrinks a failing document to a
 * small one that still fails the same way, first by whole lines, then by characters, so a fuzz
 * failure names a reproducer a person can read instead of a 3 kB mutant.
 */

/** Tries left, and the time after which no more are started (a slow reproducer stops early, less shrunk). */
interface Budget {
  left: number;
  deadline: number;
}

function spend(budget: Budget): boolean {
  if (budget.left <= 0 || Date.now() > budget.deadline) return false;
  budget.left--;
  return true;
}

/** Removes chunks of `parts` while `stillFails` holds; returns the smallest list found. */
function ddmin<T>(parts: T[], stillFails: (candidate: T[]) => boolean, budget: Budget): T[] {
  let current = parts;
  let chunks = 2;
  while (current.length >= 2) {
    const size = Math.ceil(current.length / chunks);
    let reduced = false;
    let exhausted = false;
    for (let start = 0; start < current.length; start += size) {
      if (!spend(budget)) {
        exhausted = true;
        break;
      }
      const candidate = [...current.slice(0, start), ...current.slice(start + size)];
      if (stillFails(candidate)) {
        current = candidate;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (exhausted) break;
    if (!reduced) {
      if (chunks >= current.length) break;
      chunks = Math.min(chunks * 2, current.length);
    }
  }
  if (current.length === 1 && spend(budget) && stillFails([])) return [];
  return current;
}

/**
 * The smallest text (by lines, then characters) for which `fails` still returns true. `fails` must be
 * true for `text`; at most `maxTries` evaluations are started, none after `maxMs`.
 */
export function minimiseText(
  text: string,
  fails: (candidate: string) => boolean,
  maxTries = 4000,
  maxMs = 3000,
): string {
  const budget: Budget = { left: maxTries, deadline: Date.now() + maxMs };
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
