/** Counts tokens the way the generator will. Pluggable: the in-process model counts with its real tokenizer. */
export interface TokenCounter {
  count(text: string): number;
}

/**
 * Approximation for when the real tokenizer is not at hand: about four characters per token
 * for English prose, but punctuation, digits and symbols (tables, JSON) cost more, so those
 * are counted separately. Errs on the high side so budgets are not overrun.
 */
export const approximateTokenCounter: TokenCounter = {
  count(text: string): number {
    if (!text) return 0;
    let tokens = 0;
    for (const piece of text.match(/[A-Za-z]+|\d+|\s+|[^\sA-Za-z\d]/g) ?? []) {
      const c = piece.charCodeAt(0);
      if (c <= 32) continue; // whitespace is mostly folded into the next token
      if (c >= 48 && c <= 57) tokens += Math.ceil(piece.length / 2);
      else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) tokens += Math.ceil(piece.length / 4.5);
      else tokens += 1;
    }
    return Math.ceil(tokens * 1.1);
  },
};
