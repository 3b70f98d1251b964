import { describe, expect, it } from "vitest";
import { acronymDetector } from "./acronym.js";

const acronyms = (text: string) => acronymDetector.detect(text).map((s) => s.value);

describe("acronymDetector", () => {
  it("finds acronyms that are not common English", () => {
    expect(acronyms("the WQTX placement cell and our ZRPM team")).toEqual(["WQTX", "ZRPM"]);
  });
  it("leaves common acronyms, words in capitals, towns and shouting alone", () => {
    expect(acronyms("The CEO of the USA office sent my SSN as a PDF")).toEqual([]);
    expect(acronyms("SELECT name FROM users WHERE id = 1")).toEqual([]);
    expect(acronyms("PLEASE HELP ME WITH THIS QUESTION NOW")).toEqual([]);
  });
});

describe("acronymDetector, lower case", () => {
  it("finds lower-case acronyms without vowels or with an impossible opening", () => {
    expect(acronyms("joined the nwdk group and the wsnre bonus")).toEqual(["nwdk", "wsnre"]);
  });
  it("leaves words, interjections and common acronyms alone", () => {
    expect(acronyms("hmm the street rhythm, send the pdf asap")).toEqual([]);
  });
});
