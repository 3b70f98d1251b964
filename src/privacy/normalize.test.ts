import { describe, expect, it } from "vitest";
import { lexText, normalizeToken, normalizeValue, tokenize } from "./normalize.js";

describe("the shared tokenization", () => {
  it("folds case, accents, compatibility forms and look-alike letters", () => {
    expect(normalizeValue("José  GARCÍA")).toBe("jose garcia");
    expect(normalizeValue("Ｍａｒｉａ ｆｉｎｅ Straße")).toBe("maria fine strasse");
    // Cyrillic а, е, о and Greek ο in Latin words.
    expect(normalizeValue("M\u0430ri\u0430 K\u0435ll\u0435r r\u03bfbert")).toBe("maria keller robert");
    // Cyrillic text still matches itself in any case.
    expect(normalizeToken("МАРИЯ")).toBe(normalizeToken("мария"));
  });

  it("ignores invisible characters inside words instead of splitting there", () => {
    for (const hidden of ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u202e", "\u{e0041}"])
      expect(tokenize(`Mar${hidden}ia Keller`).tokens, JSON.stringify(hidden)).toEqual(["maria", "keller"]);
    expect(tokenize("\u200b \u00ad x").tokens).toEqual(["x"]);
    // A token of marks or invisible characters only is no token.
    expect(tokenize("a \u0301\u200b b").tokens).toEqual(["a", "b"]);
  });

  it("marks tokens with digits and keeps offsets into the text", () => {
    const lexed = lexText("SSN 999\u200b12 abc");
    expect(lexed.count).toBe(3);
    expect([lexed.tokenText(1), lexed.start[1], lexed.end[1]]).toEqual(["99912", 4, 10]);
    expect([0, 1, 2].map((k) => (lexed.flags[k]! & 4) !== 0)).toEqual([false, true, false]);
  });
});
