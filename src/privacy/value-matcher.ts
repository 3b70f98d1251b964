import { FuzzyWords } from "./fuzzy-words.js";
import { IdentifierForms } from "./identifier-forms.js";
import { DIGIT, type LexedTokens, lexText, RAW } from "./lexed-tokens.js";
import { gluedMatch } from "./token-context.js";
import { TokenMatcher } from "./token-matcher.js";

/*
 * How every index of the privacy layer finds its values in a text: the same tokens, the same
 * acceptance rule and the same identifier forms for the value index, the taint indexes and the
 * egress guard, so the pseudonymizer and the guard can never disagree about a mention.
 *
 * A mention is a whole-token occurrence of a value's tokens (case, accents, punctuation and
 * invisible characters aside), or of an identifier in another grouping (`identifier-forms.ts`).
 * One exception: a single word with no digit, glued into a longer identifier by `. @ _ / -`
 * (`.green-bg`, `green_button`), is part of that identifier, not a mention of the word. The
 * pseudonymizer may also accept a declared name with one typo (`fuzzy-words.ts`); the guard does not
 * need to, as it only ever sees what the pseudonymizer left.
 */

export type MatchForm = "exact" | "identifier" | "typo";

export interface ValueMatch<T> {
  /** Lexed token indexes of the first and last token. */
  first: number;
  last: number;
  /** Offsets of the match in the source text of its tokens (the text, for `lexText`). */
  start: number;
  end: number;
  entry: number;
  meta: T;
  form: MatchForm;
}

export interface ScanOptions {
  /** Also accept declared names with one typo (plain texts only; see `addValue`). */
  typos?: boolean;
  /** Asked before a typo is accepted: false for spellings of their own (an English word, a known name). */
  typoAllowed?: (typed: string) => boolean;
}

export class ValueMatcher<T> {
  private readonly trie = new TokenMatcher<number>();
  private readonly identifiers = new IdentifierForms();
  private readonly fuzzy = new FuzzyWords();
  private readonly metas: T[] = [];

  /** Distinct values (token sequences) indexed. */
  get size(): number {
    return this.metas.length;
  }

  meta(entry: number): T {
    return this.metas[entry]!;
  }

  /** Normalized tokens of an entry joined by a space. */
  key(entry: number): string {
    return this.trie.key(entry);
  }

  /** Indexes a token sequence (no other forms). Returns false when it was already indexed. */
  addTokens(tokens: readonly string[], meta: T): boolean {
    const entry = this.metas.length;
    // The trie numbers its entries as they come, like this.metas: entry n is the trie's entry n.
    if (!this.trie.add(tokens, entry)) return false;
    this.metas.push(meta);
    return true;
  }

  /**
   * Indexes a whole value: its tokens, its identifier forms, and (with `typos`) its words of five
   * or more letters for typo matching. Returns false when it was already indexed.
   */
  addValue(value: string, tokens: readonly string[], meta: T, options: { typos?: boolean } = {}): boolean {
    const entry = this.metas.length;
    if (!this.addTokens(tokens, meta)) return false;
    this.identifiers.add(value, tokens, entry);
    if (options.typos && tokens.length <= 4)
      for (const token of tokens) this.fuzzy.add(token, this.trie.tokenId(token));
    return true;
  }

  /** Matches in a plain text (offsets into it). */
  matchText(text: string, options: ScanOptions = {}): ValueMatch<T>[] {
    const out: ValueMatch<T>[] = [];
    this.scan(lexText(text), options, (_view, m) => out.push(m));
    return out;
  }

  /** Leftmost-longest matches in each view of a lexed text; identifier matches after token ones. */
  scan(lexed: LexedTokens, options: ScanOptions, visit: (view: number, m: ValueMatch<T>) => void): void {
    if (this.metas.length === 0) return;
    this.trie.views(lexed, (view, ids, n, at) => {
      const tokenMatches: number[] = []; // first, last pairs: identifier matches inside are repeats
      const typos =
        options.typos && view === RAW && this.fuzzy.size > 0
          ? this.correct(lexed, ids, n, at, options)
          : undefined;
      this.trie.scanIds(ids, n, (fj, lj, entry) => {
        const first = at(fj);
        const last = at(lj);
        let corrected = 0;
        if (typos) for (let j = fj; j <= lj; j++) corrected += typos[j]!;
        if (corrected > 1) return;
        if (fj === lj && (lexed.flags[first]! & DIGIT) === 0 && gluedMatch(lexed, view, first, last)) return;
        const meta = this.metas[this.trie.meta(entry)]!;
        tokenMatches.push(first, last);
        visit(view, {
          first,
          last,
          start: lexed.start[first]!,
          end: lexed.end[last]!,
          entry: this.trie.meta(entry),
          meta,
          form: corrected ? "typo" : "exact",
        });
      });
      this.identifiers.scan(lexed, view, (m) => {
        for (let i = 0; i < tokenMatches.length; i += 2)
          if (tokenMatches[i]! <= m.first && m.last <= tokenMatches[i + 1]!) return;
        visit(view, { ...m, meta: this.metas[m.entry]!, form: "identifier" });
      });
    });
  }

  /** Replaces unknown tokens that are one typo from a declared name word; marks them. */
  private correct(
    lexed: LexedTokens,
    ids: Int32Array,
    n: number,
    at: (j: number) => number,
    options: ScanOptions,
  ): Uint8Array | undefined {
    let marks: Uint8Array | undefined;
    for (let j = 0; j < n; j++) {
      if (ids[j]! >= 0) continue;
      const k = at(j);
      if ((lexed.flags[k]! & DIGIT) !== 0) continue;
      const typed = lexed.tokenText(k);
      // Ordinary words are the bulk of a prompt: one set lookup before any typo lookup.
      if (typed.length < 4 || options.typoAllowed?.(typed) === false) continue;
      const found = this.fuzzy.candidates(typed);
      if (found.length === 0) continue;
      marks ??= new Uint8Array(n);
      ids[j] = Math.min(...found);
      marks[j] = 1;
    }
    return marks;
  }
}
