/**
 * Case- and accent-insensitive word tokenization shared by the value index and the taint index,
 * so that "José  GARCÍA" and "jose garcia" produce the same tokens. Tokens are runs of letters
 * and digits (combining marks stay with their letter); everything else separates.
 */
export interface Tokens {
  /** Normalized token text (lower case, diacritics removed). */
  tokens: string[];
  /** Offsets of each token in the original text. */
  starts: number[];
  ends: number[];
}

const WORD = /[\p{L}\p{N}\p{M}]/u;
const MARKS = /\p{M}/gu;
// 0: separator, 1: ASCII word char (digit, lower case), 2: upper case; non-ASCII uses the Unicode regex.
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII[c] = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) ? 1 : c >= 65 && c <= 90 ? 2 : 0;
}

/** Letters and digits; every other ASCII character separates tokens. */
export function isAsciiWordChar(code: number): boolean {
  return ASCII[code] !== 0;
}

// BMP classification cache: 0 unknown, 1 word, 2 separator (Unicode regex evaluated once per code).
const BMP = new Uint8Array(65536);

function isWordAt(text: string, i: number, code: number): boolean {
  if (code < 128) return ASCII[code] !== 0;
  let c = BMP[code]!;
  if (c === 0) BMP[code] = c = WORD.test(text[i]!) ? 1 : 2;
  return c === 1;
}

// Non-ASCII tokens repeat a lot (names, words); NFKD per token is the expensive part.
const cache = new Map<string, string>();

/** Lower-cases and strips diacritics; `ß` becomes `ss`, ligatures are expanded (NFKD). */
export function normalizeToken(token: string): string {
  let ascii = true;
  for (let i = 0; i < token.length; i++) {
    if (token.charCodeAt(i) >= 128) {
      ascii = false;
      break;
    }
  }
  if (ascii) return token.toLowerCase();
  const hit = cache.get(token);
  if (hit !== undefined) return hit;
  const normalized = token
    .normalize("NFKD")
    .replace(MARKS, "")
    .toLowerCase()
    .replace(FOLD_RE, (c) => FOLD[c]!);
  if (cache.size >= 50_000) cache.clear();
  cache.set(token, normalized);
  return normalized;
}

/** Letters NFKD does not decompose into a base letter plus a mark. */
const FOLD: Record<string, string> = {
  ß: "ss",
  ł: "l",
  đ: "d",
  ð: "d",
  ø: "o",
  æ: "ae",
  œ: "oe",
  þ: "th",
  ı: "i",
  ħ: "h",
};
const FOLD_RE = /[ßłđðøæœþıħ]/g;

export function tokenize(text: string): Tokens {
  const tokens: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let code = text.charCodeAt(i);
    // Surrogate pairs (e.g. some CJK) are treated as word chars; rare in practice.
    if (!(code >= 0xd800 && code <= 0xdbff) && !isWordAt(text, i, code)) {
      i++;
      continue;
    }
    const start = i;
    while (i < n) {
      code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdfff) {
        i++;
        continue;
      }
      if (!isWordAt(text, i, code)) break;
      i++;
    }
    tokens.push(normalizeToken(text.slice(start, i)));
    starts.push(start);
    ends.push(i);
  }
  return { tokens, starts, ends };
}

/** The normalized form of a whole value: its tokens joined by single spaces. */
export function normalizeValue(value: string): string {
  return tokenize(value).tokens.join(" ");
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

/** 32-bit hash of a normalized token; the lexer computes the same value without building the string. */
export function hashToken(token: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), FNV_PRIME);
  return finish(h);
}

/** Stream flags of a lexed token: which view of a body it belongs to (see `egress-guard.ts`). */
export const RAW = 1;
export const DECODED = 2;

/**
 * Tokens as hashes and offsets, without allocating a string per token: the hot path of the egress
 * guard. `norm[k]` is set only for tokens with non-ASCII characters (normalized via the cached
 * per-word `normalizeToken`); a plain ASCII token is compared in place, case-folded, against
 * `texts[src[k]]`. Same tokenization rules as `tokenize`.
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

  /** Tokenizes `text.slice(from, to)` (as if the slice were the whole text) and appends the tokens. */
  lex(text: string, from: number, to: number, flags: number): void {
    let src = this.texts.length - 1;
    if (src < 0 || this.texts[src] !== text) {
      this.texts.push(text);
      src++;
    }
    let i = from;
    while (i < to) {
      let c = text.charCodeAt(i);
      if (c < 128) {
        if (ASCII[c] === 0) {
          i++;
          continue;
        }
      } else if (!(c >= 0xd800 && c <= 0xdbff) && !isWordAt(text, i, c)) {
        i++;
        continue;
      }
      const start = i;
      let h = FNV_OFFSET;
      let ascii = true;
      while (i < to) {
        c = text.charCodeAt(i);
        if (c < 128) {
          const k = ASCII[c]!;
          if (k === 0) break;
          h = Math.imul(h ^ (k === 2 ? c + 32 : c), FNV_PRIME);
          i++;
          continue;
        }
        ascii = false;
        if (c >= 0xd800 && c <= 0xdfff) {
          i++;
          continue;
        }
        if (!isWordAt(text, i, c)) break;
        i++;
      }
      const k = this.count;
      if (k === this.hash.length) this.grow();
      this.count = k + 1;
      // norm stays a dense array (one push per token): holes would make it a slow dictionary.
      if (ascii) {
        this.hash[k] = finish(h);
        this.norm.push(undefined);
      } else {
        const norm = normalizeToken(text.slice(start, i));
        this.hash[k] = hashToken(norm);
        this.norm.push(norm);
      }
      this.start[k] = start;
      this.end[k] = i;
      this.src[k] = src;
      this.flags[k] = flags;
    }
  }
}

/** Lexes a whole text (flag `RAW`). */
export function lexText(text: string): LexedTokens {
  const out = new LexedTokens(text.length >> 3);
  out.lex(text, 0, text.length, RAW);
  return out;
}
