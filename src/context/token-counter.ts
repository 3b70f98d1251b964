/**
 * Token counting for context budgets. The real tokenizer where we have it (in-process model),
 * an approximation otherwise; callers treat both the same.
 */
export interface TokenCounter {
  /** True when counts come from the generator's own tokenizer. */
  readonly exact?: boolean;
  /** Synchronous: budgets count many small pieces, and real tokenizers are synchronous once loaded. */
  count(text: string): number;
}

/**
 * Word-aware approximation (about chars/4.5 on prose): a word of up to 6 letters is one token,
 * longer words ceil(len/5); digits ~0.75 token each and punctuation one each (dense in JSON and
 * tables, where plain chars/4 undercounts by half). Tuned to
 * overestimate slightly, since an underestimate overflows the window. Error measured against the
 * llama tokenizer is in docs/guides/models.md#token-counting.
 */
export const approximateTokenCounter: TokenCounter = {
  exact: false,
  count(text: string): number {
    if (!text) return 0;
    let tokens = 0;
    // Words (letters), number runs, whitespace runs, punctuation runs.
    for (const match of text.matchAll(/\p{L}+|\p{N}+|\s+|[^\p{L}\p{N}\s]+/gu)) {
      const piece = match[0];
      const first = piece.charCodeAt(0);
      if (first === 32 || first === 10 || first === 9 || first === 13) {
        // A single space merges into the next word; newlines and indentation runs cost tokens.
        if (piece !== " ")
          tokens += Math.ceil(piece.replace(/ /g, "").length + (piece.match(/ {2,}/g)?.length ?? 0));
      } else if (/\p{L}/u.test(piece[0])) {
        tokens += piece.length <= 6 ? 1 : Math.ceil(piece.length / 5);
      } else if (/\p{N}/u.test(piece[0])) {
        tokens += Math.ceil(piece.length * 0.75);
      } else {
        // Non-ASCII symbols often take several byte tokens.
        tokens += piece.charCodeAt(0) > 127 ? 2 * piece.length : Math.ceil(piece.length * 0.5);
      }
    }
    return tokens;
  },
};

/** Anything with a real tokenizer that loads asynchronously, e.g. a `createLlamaModel()` instance. */
export interface HasTokenizer {
  tokenizer(): Promise<(text: string) => number>;
}

/** Waits for the model to load, then counts with its own tokenizer. */
export async function tokenizerTokenCounter(source: HasTokenizer): Promise<TokenCounter> {
  const count = await source.tokenizer();
  return { exact: true, count };
}
