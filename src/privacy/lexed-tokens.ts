import {
  ASCII_CLASS,
  charClass,
  FNV_OFFSET,
  FNV_PRIME,
  finishHash,
  hashToken,
  normalizeToken,
  SEPARATOR,
  WORD,
} from "./normalize-token.js";

/** Token flags: which view of a body a token belongs to (see `egress-guard.ts`), and its shape. */
export const RAW = 1;
export const DECODED = 2;
/** The token has a digit (after normalization). */
export const DIGIT = 4;

/** A stretch of one source text that is part of the decoded view, in view order. */
export interface Piece {
  src: number;
  from: number;
  to: number;
}

/**
 * Tokens as hashes and offsets, without allocating a string per token: the hot path of the egress
 * guard, and the one tokenizer of the privacy layer (`tokenize` is built on it). `norm[k]` is set
 * only for tokens with non-ASCII characters (normalized via the cached per-word `normalizeToken`);
 * a plain ASCII token is compared in place, case-folded, against `texts[src[k]]`.
 */
export class LexedTokens {
  count = 0;
  hash: Int32Array;
  start: Int32Array;
  end: Int32Array;
  src: Int32Array;
  flags: Uint8Array;
  norm: (string | undefined)[] = [];
  readonly texts: string[] = [];
  /** Views present (`RAW`, `RAW | DECODED`); `split` when some token belongs to only one of them. */
  views = RAW;
  split = false;
  /** When split: the decoded view as pieces of source texts, in order (neighbours across pieces). */
  pieces: Piece[] | undefined;
  /** When split: index into `pieces` of the first decoded piece of a source text (-1 if none). */
  pieceOfSrc: number[] | undefined;

  constructor(capacity = 64) {
    const c = Math.max(16, capacity);
    this.hash = new Int32Array(c);
    this.start = new Int32Array(c);
    this.end = new Int32Array(c);
    this.src = new Int32Array(c);
    this.flags = new Uint8Array(c);
  }

  private grow(): void {
    const c = this.hash.length * 2;
    const g = <A extends Int32Array | Uint8Array>(a: A, b: A): A => {
      b.set(a);
      return b;
    };
    this.hash = g(this.hash, new Int32Array(c));
    this.start = g(this.start, new Int32Array(c));
    this.end = g(this.end, new Int32Array(c));
    this.src = g(this.src, new Int32Array(c));
    this.flags = g(this.flags, new Uint8Array(c));
  }

  /** Empties it for reuse (keeps the arrays). */
  reset(): this {
    this.count = 0;
    this.norm.length = 0;
    this.texts.length = 0;
    this.views = RAW;
    this.split = false;
    this.pieces = undefined;
    this.pieceOfSrc = undefined;
    return this;
  }

  /** Normalized text of token `k`. */
  tokenText(k: number): string {
    return this.norm[k] ?? this.texts[this.src[k]!]!.slice(this.start[k]!, this.end[k]!).toLowerCase();
  }

  /**
   * Tokenizes `text.slice(from, to)` (as if the slice were the whole text) and appends the tokens.
   * Returns the index of `text` in `texts`.
   */
  lex(text: string, from: number, to: number, flags: number): number {
    let src = this.texts.length - 1;
    if (src < 0 || this.texts[src] !== text) {
      this.texts.push(text);
      src++;
    }
    const ascii_ = ASCII_CLASS;
    let i = from;
    while (i < to) {
      let c = text.charCodeAt(i);
      if (c < 128) {
        if (ascii_[c] === 0) {
          i++;
          continue;
        }
      } else if (charClass(text, i, c) !== WORD) {
        i++;
        continue;
      }
      const start = i;
      let h = FNV_OFFSET;
      let ascii = true;
      let digit = false;
      while (i < to) {
        c = text.charCodeAt(i);
        if (c < 128) {
          const k = ascii_[c]!;
          if (k === 0) break;
          if (c < 58) digit = true;
          h = Math.imul(h ^ (k === 2 ? c + 32 : c), FNV_PRIME);
          i++;
          continue;
        }
        ascii = false;
        // Letters, marks and invisible characters continue a token.
        if (charClass(text, i, c) === SEPARATOR) break;
        i++;
      }
      let norm: string | undefined;
      if (!ascii) {
        norm = normalizeToken(text.slice(start, i));
        if (norm === "") continue; // only marks or invisible characters
        digit = /[0-9]/.test(norm);
      }
      const k = this.count;
      if (k === this.hash.length) this.grow();
      this.count = k + 1;
      // norm stays a dense array (one push per token): holes would make it a slow dictionary.
      this.norm.push(norm);
      this.hash[k] = norm === undefined ? finishHash(h) : hashToken(norm);
      this.start[k] = start;
      this.end[k] = i;
      this.src[k] = src;
      this.flags[k] = digit ? flags | DIGIT : flags;
    }
    return src;
  }

  /** Index into `pieces` of the piece of source `src` that holds `offset`. */
  pieceAt(src: number, offset: number): number {
    const pieces = this.pieces!;
    let p = this.pieceOfSrc![src]!;
    while (p + 1 < pieces.length && pieces[p + 1]!.src === src && pieces[p + 1]!.from <= offset) p++;
    return p;
  }

  /** Records the next piece of the decoded view (see `pieces`). */
  addPiece(src: number, from: number, to: number): void {
    this.pieces ??= [];
    this.pieceOfSrc ??= [];
    while (this.pieceOfSrc.length <= src) this.pieceOfSrc.push(-1);
    if (this.pieceOfSrc[src] === -1) this.pieceOfSrc[src] = this.pieces.length;
    this.pieces.push({ src, from, to });
  }
}

/** Lexes a whole text (flag `RAW`). */
export function lexText(text: string): LexedTokens {
  const out = new LexedTokens(text.length >> 2);
  out.lex(text, 0, text.length, RAW);
  return out;
}
