import { describe, expect, it } from "vitest";
import { lexText, type Tokens, tokenize } from "./normalize.js";
import { type TokenMatch, TokenMatcher } from "./token-matcher.js";

/** The straightforward matcher (string n-gram keys) the id trie must agree with. */
function referenceScan(patterns: string[][], text: Tokens): Omit<TokenMatch<number>, "meta">[] {
  const entries = new Map<string, number>();
  const firstMax = new Map<string, number>();
  for (const p of patterns) {
    const key = p.join(" ");
    if (entries.has(key)) continue;
    entries.set(key, entries.size);
    firstMax.set(p[0]!, Math.max(firstMax.get(p[0]!) ?? 0, p.length));
  }
  const out: Omit<TokenMatch<number>, "meta">[] = [];
  const { tokens } = text;
  for (let i = 0; i < tokens.length; i++) {
    const max = firstMax.get(tokens[i]!);
    if (max === undefined) continue;
    let best: Omit<TokenMatch<number>, "meta"> | undefined;
    for (let len = 1; len <= Math.min(max, tokens.length - i); len++) {
      const key = tokens.slice(i, i + len).join(" ");
      if (entries.has(key)) best = { first: i, last: i + len - 1, key };
    }
    if (best) {
      out.push(best);
      i = best.last;
    }
  }
  return out;
}

let seed = 7;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
const VOCAB = [
  "a",
  "b",
  "ab",
  "Müller",
  "muller",
  "Ørsted",
  "zoë",
  "ß",
  "ss",
  "42",
  "x1",
  "É",
  "😀",
  "ǅ",
  "Σ",
];

describe("TokenMatcher", () => {
  it("finds leftmost-longest non-overlapping matches and keeps the first meta", () => {
    const m = new TokenMatcher<string>();
    expect(m.add(["maria", "keller"], "a")).toBe(true);
    expect(m.add(["maria"], "b")).toBe(true);
    expect(m.add(["maria", "keller"], "c")).toBe(false);
    expect(m.add(["keller", "gmbh"], "d")).toBe(true);
    expect(m.add([], "e")).toBe(false);
    expect(m.size).toBe(3);
    expect(m.has(["maria", "keller"])).toBe(true);
    expect(m.has(["keller"])).toBe(false);
    expect(m.has(["nobody"])).toBe(false);
    const found = m.scan(tokenize("Maria Keller GmbH, maria; x keller gmbh"));
    expect(found.map((f) => [f.first, f.last, f.key, f.meta])).toEqual([
      [0, 1, "maria keller", "a"],
      [3, 3, "maria", "b"],
      [5, 6, "keller gmbh", "d"],
    ]);
  });

  it("agrees with a string-keyed reference on random patterns and texts", () => {
    for (let round = 0; round < 30; round++) {
      const patterns: string[][] = [];
      for (let p = 0; p < 40; p++) {
        const words = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(VOCAB));
        patterns.push(tokenize(words.join(pick([" ", "-", ".", "\n"]))).tokens);
      }
      const m = new TokenMatcher<number>();
      for (const [i, p] of patterns.entries()) m.add(p, i);
      const text = Array.from({ length: 60 }, () => pick(VOCAB) + pick([" ", ", ", "-", "\t", ""])).join("");
      const tokens = tokenize(text);
      const expected = referenceScan(patterns, tokens);
      expect(m.scan(tokens).map(({ first, last, key }) => ({ first, last, key }))).toEqual(expected);
      // The lexer path (hashes, no strings) sees the same ids.
      const lexed = lexText(text);
      expect(lexed.count).toBe(tokens.tokens.length);
      const viaLexer: Omit<TokenMatch<number>, "meta">[] = [];
      m.scanIds(m.idsOf(lexed), lexed.count, (first, last, entry) => {
        viaLexer.push({ first, last, key: m.key(entry) });
      });
      expect(viaLexer).toEqual(expected);
    }
  });

  it("stays correct past its initial table sizes", () => {
    const m = new TokenMatcher<number>();
    for (let i = 0; i < 5000; i++) m.add([`w${i}`, `v${i % 7}`, `u${i % 3}`], i);
    expect(m.size).toBe(5000);
    const found = m.scan(tokenize("x W4999 v1 u1 w12 v5 u0 w12 v5"));
    expect(found.map((f) => f.meta)).toEqual([4999, 12]);
  });
});

describe("lexText", () => {
  it("tokenizes exactly like tokenize (offsets, normalization)", () => {
    for (let round = 0; round < 50; round++) {
      const chars = [
        "a",
        "Z",
        "é",
        "\u0301",
        "ß",
        "😀",
        "\ud800",
        "\udc00",
        " ",
        "-",
        "9",
        "Ł",
        "ﬁ",
        "\u00a0",
        "日",
      ];
      const text = Array.from({ length: 80 }, () => pick(chars)).join("");
      const tokens = tokenize(text);
      const lexed = lexText(text);
      expect(lexed.count).toBe(tokens.tokens.length);
      for (let k = 0; k < lexed.count; k++) {
        expect([lexed.start[k], lexed.end[k]]).toEqual([tokens.starts[k], tokens.ends[k]]);
        const norm = lexed.norm[k] ?? text.slice(lexed.start[k], lexed.end[k]).toLowerCase();
        expect(norm).toBe(tokens.tokens[k]);
      }
    }
  });
});
