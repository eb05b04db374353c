/** "Did you mean": the known words closest to a mistyped one. */

/** Up to three known words close to `word`: by edit distance, or containing it. */
export function suggestions(word: string, known: readonly string[]): string[] {
  const lower = word.toLowerCase();
  const threshold = Math.max(2, Math.floor(word.length / 3));
  return [...new Set(known)]
    .map((candidate) => {
      const folded = candidate.toLowerCase();
      const distance = folded.includes(lower) ? 0 : editDistance(lower, folded);
      return { candidate, distance };
    })
    .filter((c) => c.distance <= threshold)
    .sort((a, b) => a.distance - b.distance || compareText(a.candidate, b.candidate))
    .slice(0, 3)
    .map((c) => c.candidate);
}

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours (`dwon` is one from `down`). */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, before[j - 2]! + 1);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length]!;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
