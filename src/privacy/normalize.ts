/**
 * The one tokenization of the privacy layer. The value index, the taint index, the pseudonymizer
 * and the egress guard all see text through it, so a value the pseudonymizer leaves in a prompt is
 * exactly what the guard accepts. Tokens are runs of letters and digits (combining marks stay with
 * their letter); invisible characters (zero-width spaces, soft hyphens, bidi controls, tag
 * characters) neither split nor count; everything else separates. A token is compared in its
 * normalized form: lower case, diacritics removed, compatibility forms and look-alike letters of
 * other scripts folded ("Mаria" with a Cyrillic "а" is "maria").
 */
import { LexedTokens, RAW } from "./lexed-tokens.js";

export interface Tokens {
  /** Normalized token text (see `normalizeToken`). */
  tokens: string[];
  /** Offsets of each token in the original text. */
  starts: number[];
  ends: number[];
}

// tokenize() runs once per indexed value: one lexer, reused (tokenize is synchronous).
let scratch = new LexedTokens(256);

/** The tokens of a text, as strings (the lexer's rules; see `LexedTokens`). */
export function tokenize(text: string): Tokens {
  const lexed = scratch.reset();
  lexed.lex(text, 0, text.length, RAW);
  const n = lexed.count;
  const tokens: string[] = new Array(n);
  const starts: number[] = new Array(n);
  const ends: number[] = new Array(n);
  for (let k = 0; k < n; k++) {
    tokens[k] = lexed.tokenText(k);
    starts[k] = lexed.start[k]!;
    ends[k] = lexed.end[k]!;
  }
  lexed.reset();
  if (lexed.hash.length > 4096) scratch = new LexedTokens(256); // a huge text: let its arrays go
  return { tokens, starts, ends };
}

/** The normalized form of a whole value: its tokens joined by single spaces. */
export function normalizeValue(value: string): string {
  return tokenize(value).tokens.join(" ");
}

export { DECODED, DIGIT, LexedTokens, lexText, RAW } from "./lexed-tokens.js";
export { hashToken, isAsciiWordChar, normalizeToken } from "./normalize-token.js";
