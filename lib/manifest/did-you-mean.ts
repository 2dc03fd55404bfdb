/** A typo is in a word of a field's length: a longer word gets no suggestion (and costs nothing). */
const MAX_WORD_LENGTH = 64;

/**
 * Suggestions for one input, within a bounded amount of work (issue 14 §5: a did-you-mean over a
 * 200 KB name took 8 s): words longer than a field name get none, candidates too far in length are
 * skipped, and once `budget` edit-distance cells are spent, no more suggestions are made.
 */
export class Suggester {
  constructor(private budget = 2_000_000) {}

  /** The candidate nearest to `word`, when it is near enough to be a likely typo. */
  near(word: string, candidates: Iterable<string>): string | undefined {
    if (word.length > MAX_WORD_LENGTH) return undefined;
    const tolerance = Math.max(2, Math.floor(word.length / 3));
    const lower = word.toLowerCase();
    let best: string | undefined;
    let bestDistance = tolerance + 1;
    for (const candidate of candidates) {
      if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
      if (candidate.toLowerCase() === lower) return candidate;
      const cost = word.length * candidate.length;
      if (cost > this.budget) return best;
      this.budget -= cost;
      const d = distance(word, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
