import { describe, expect, it } from "vitest";
import { FuzzyWords } from "./fuzzy-words.js";

describe("FuzzyWords", () => {
  const words = new FuzzyWords();
  words.add("keller", 1);
  words.add("whitfield", 2);
  words.add("anna", 3); // too short: no typos looked for

  it("finds a name with one letter dropped, two neighbours swapped or one letter changed", () => {
    for (const typed of ["kelle", "keler", "kelelr", "ekller", "kellar", "xeller"])
      expect(words.candidates(typed), typed).toEqual([1]);
    expect(words.candidates("whitfeld")).toEqual([2]);
  });
  it("ignores added letters, two typos, short names and non-words", () => {
    for (const typed of ["kellers", "kelr", "kallar", "ann", "anne", "k3ller", "keller"])
      expect(words.candidates(typed), typed).toEqual([]);
  });
});
