/*
 * Declared name words of five or more letters, found again when typed one letter off: a letter
 * dropped ("Kelle"), two neighbours swapped ("Kelelr") or one letter changed ("Kellar"). Indexed by
 * their one-letter deletions (the symmetric-delete scheme), so a lookup costs one probe per letter
 * of the typed word, whatever the number of names.
 */

const LETTERS = /^\p{L}+$/u;

/** Shortest declared word that typos are looked for. */
export const FUZZY_MIN_LETTERS = 5;

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Same length, differing by one changed letter or one swap of neighbours. */
function oneChangeOrSwap(a: string, b: string): boolean {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i === a.length) return false;
  if (a.slice(i + 1) === b.slice(i + 1)) return true;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

export class FuzzyWords {
  private readonly byDeletion = new Map<string, number[]>();
  private readonly words = new Map<number, string>();

  get size(): number {
    return this.words.size;
  }

  /** Indexes a normalized word under its id; ignores words that are short or not all letters. */
  add(word: string, id: number): void {
    if (word.length < FUZZY_MIN_LETTERS || this.words.has(id) || !LETTERS.test(word)) return;
    this.words.set(id, word);
    for (const d of deletions(word)) {
      const ids = this.byDeletion.get(d);
      if (!ids) this.byDeletion.set(d, [id]);
      else if (!ids.includes(id)) ids.push(id);
    }
  }

  /** Ids of the indexed words one dropped, swapped or changed letter away from `typed`. */
  candidates(typed: string): number[] {
    if (typed.length < FUZZY_MIN_LETTERS - 1 || !LETTERS.test(typed)) return [];
    const found = new Set<number>();
    // A letter dropped: the typed word is a deletion of the name.
    for (const id of this.byDeletion.get(typed) ?? []) found.add(id);
    // Changed or swapped: both lose the same letter position.
    for (const d of deletions(typed))
      for (const id of this.byDeletion.get(d) ?? []) {
        const word = this.words.get(id)!;
        if (word.length === typed.length && oneChangeOrSwap(typed, word)) found.add(id);
      }
    return [...found];
  }
}
