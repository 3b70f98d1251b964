/**
 * Paces a fake model server's output like a real decoder: one token at a time at a fixed rate,
 * on an absolute schedule (no drift from timer overshoot), so a client that reads the stream
 * sees each piece when a real model would have produced it.
 */
import { approximateTokenCounter } from "../context/token-counter.js";

export interface TokenPiece {
  text: string;
  /** Tokens this piece costs (at least 1). */
  tokens: number;
}

/**
 * Splits text into pieces of about one token: a word, a number run or a punctuation run, each
 * with the whitespace before it. The pieces' token costs add up to the counter's count of the
 * whole text (whitespace costs nothing of its own, as in the counter).
 */
export function tokenPieces(text: string): TokenPiece[] {
  const pieces: TokenPiece[] = [];
  let pending = "";
  for (const match of text.matchAll(/\p{L}+|\p{N}+|\s+|[^\p{L}\p{N}\s]+/gu)) {
    pending += match[0];
    const tokens = approximateTokenCounter.count(pending);
    if (/\S/.test(match[0]) || tokens > 0) {
      pieces.push({ text: pending, tokens: Math.max(1, tokens) });
      pending = "";
    }
  }
  if (pending) {
    if (pieces.length) pieces[pieces.length - 1].text += pending;
    else pieces.push({ text: pending, tokens: 1 });
  }
  return pieces;
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/** Waits until each successive token is "decoded": token n is due at start + n / rate. */
export class DecodePacer {
  private readonly start = performance.now();
  private spent = 0;
  constructor(private readonly tokensPerSec: number) {}

  /** Resolves when `tokens` more tokens have been decoded. */
  async decode(tokens: number): Promise<void> {
    this.spent += tokens;
    const due = this.start + (this.spent * 1000) / this.tokensPerSec;
    await sleep(due - performance.now());
  }
}

/** Milliseconds a decoder at `tokensPerSec` needs for `tokens`. */
export const decodeMs = (tokens: number, tokensPerSec: number) => (tokens * 1000) / tokensPerSec;
