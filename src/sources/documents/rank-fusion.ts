/**
 * Reciprocal Rank Fusion (Cormack et al. 2009): score(d) = Σ 1 / (k + rank_i(d)), ranks from 1.
 * Needs no score calibration between keyword and vector rankings; k = 60 as in the paper.
 */
export function reciprocalRankFusion<T>(
  rankings: readonly (readonly T[])[],
  k = 60,
): { item: T; score: number }[] {
  const scores = new Map<T, number>();
  for (const ranking of rankings) {
    ranking.forEach((item, index) => {
      scores.set(item, (scores.get(item) ?? 0) + 1 / (k + index + 1));
    });
  }
  return [...scores].map(([item, score]) => ({ item, score })).sort((a, b) => b.score - a.score);
}
