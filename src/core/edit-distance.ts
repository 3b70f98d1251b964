/** Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...new Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/**
 * Known names close to `name` (a typo: edit distance at most 2 and a third of the name, or the
 * same letters in another case or without `_`/`-`), closest first, at most `max`.
 */
export function closestNames(name: string, known: Iterable<string>, max = 3): string[] {
  const squash = (s: string) => s.toLowerCase().replace(/[_-]/g, "");
  return [...new Set(known)]
    .map((k) => ({
      k,
      d: squash(k) === squash(name) ? 0 : editDistance(name.toLowerCase(), k.toLowerCase()),
    }))
    .filter(({ k, d }) => d <= Math.min(2, Math.max(1, Math.floor(k.length / 3))))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, max)
    .map(({ k }) => k);
}
