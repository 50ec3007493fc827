/**
 * "Did you mean": the closest known name to a misspelled one, by case-insensitive match first and
 * then by edit distance (Damerau–Levenshtein, so a swapped pair of letters counts as one typo).
 */

/** Optimal-string-alignment distance between two strings. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (__, column) => (row === 0 ? column : column === 0 ? row : 0)),
  );
  for (let row = 1; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let best = Math.min(table[row - 1][column] + 1, table[row][column - 1] + 1, table[row - 1][column - 1] + cost);
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) {
        best = Math.min(best, table[row - 2][column - 2] + 1);
      }
      table[row][column] = best;
    }
  }
  return table[a.length][b.length];
}

/** Typos tolerated for a name of this length: 1 for short names, up to a third of the length. */
function tolerance(length: number): number {
  return Math.max(1, Math.min(3, Math.floor(length / 3)));
}

/** The closest candidate to `name`, or undefined when none is close enough to be a likely typo. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates].filter((candidate) => candidate !== name);
  const lower = name.toLowerCase();
  const sameLetters = list.find((candidate) => candidate.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = tolerance(name.length);
  for (const candidate of list) {
    // The distance is at least the length difference: skip hopeless pairs (a 20,000-character key).
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= tolerance(Math.min(name.length, best.length)) ? best : undefined;
}
