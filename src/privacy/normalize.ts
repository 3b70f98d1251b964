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
// 0: separator, 1: ASCII word char; non-ASCII is classified with the Unicode regex.
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;
}

// BMP classification cache: 0 unknown, 1 word, 2 separator (Unicode regex evaluated once per code).
const BMP = new Uint8Array(65536);

function isWordAt(text: string, i: number, code: number): boolean {
  if (code < 128) return ASCII[code] === 1;
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
