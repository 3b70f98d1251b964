/**
 * Character classes, token normalization and token hashing: the rules every tokenizer of the
 * privacy layer shares (see `normalize.ts`).
 */
/** Character classes: 0 unknown (BMP cache), 1 word, 2 separator, 3 invisible (ignored). */
export const WORD = 1;
export const SEPARATOR = 2;
export const INVISIBLE = 3;

const WORD_RE = /[\p{L}\p{N}\p{M}]/u;
const INVISIBLE_RE = /\p{Default_Ignorable_Code_Point}/u;
const STRIP = /[\p{M}\p{Default_Ignorable_Code_Point}]/gu;

// 0: separator, 1: ASCII word char (digit, lower case), 2: upper case.
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII[c] = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) ? 1 : c >= 65 && c <= 90 ? 2 : 0;
}

/** ASCII class table: 0 separator, 1 digit or lower-case letter, 2 upper-case letter. */
export const ASCII_CLASS: Readonly<Uint8Array> = ASCII;

/** Letters and digits; every other ASCII character separates tokens. */
export function isAsciiWordChar(code: number): boolean {
  return ASCII[code] !== 0;
}

// BMP classification cache (Unicode regexes evaluated once per code unit).
const BMP = new Uint8Array(65536);

/**
 * Class of the character at `i` (`code` is `text.charCodeAt(i)`). Surrogate pairs are word
 * characters, except the invisible tag and variation-selector block (high surrogate U+DB40).
 */
export function charClass(text: string, i: number, code: number): number {
  if (code < 128) return ASCII[code] !== 0 ? WORD : SEPARATOR;
  if (code >= 0xd800 && code <= 0xdfff) {
    const high = code <= 0xdbff ? code : text.charCodeAt(i - 1);
    return high === 0xdb40 ? INVISIBLE : WORD;
  }
  let c = BMP[code]!;
  if (c === 0) {
    const ch = text[i]!;
    BMP[code] = c = INVISIBLE_RE.test(ch) ? INVISIBLE : WORD_RE.test(ch) ? WORD : SEPARATOR;
  }
  return c;
}

/** Letter or digit (what glues a connector to a word), invisible characters excluded. */
export function isWordChar(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  return charClass(text, i, text.charCodeAt(i)) === WORD;
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
  ɡ: "g",
  ɑ: "a",
  // Cyrillic and Greek letters that look like Latin ones (in either case), compared after lower
  // casing, so a name spelled with a look-alike still matches, and real Cyrillic or Greek text
  // (folded the same way on both sides) still matches itself.
  а: "a",
  в: "b",
  е: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  ѕ: "s",
  і: "i",
  ј: "j",
  ԁ: "d",
  һ: "h",
  ӏ: "l",
  ԛ: "q",
  ԝ: "w",
  α: "a",
  β: "b",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ζ: "z",
};
const FOLD_RE = new RegExp(`[${Object.keys(FOLD).join("")}]`, "g");

// Non-ASCII tokens repeat a lot (names, words); NFKD per token is the expensive part.
const cache = new Map<string, string>();

/**
 * Lower-cases, strips diacritics and invisible characters, expands compatibility forms (NFKD:
 * ligatures, full-width letters and digits), and folds look-alike letters; `ß` becomes `ss`.
 */
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
    .replace(STRIP, "")
    .toLowerCase()
    .replace(FOLD_RE, (c) => FOLD[c]!);
  if (cache.size >= 50_000) cache.clear();
  cache.set(token, normalized);
  return normalized;
}

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

export function finishHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

/** 32-bit hash of a normalized token; the lexer computes the same value without building the string. */
export function hashToken(token: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), FNV_PRIME);
  return finishHash(h);
}
