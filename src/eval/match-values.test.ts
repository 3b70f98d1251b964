import { describe, expect, it } from "vitest";
import { argMatches, readAnswer, saysIDontKnow, states } from "./match-values.js";

describe("states", () => {
  const answer = readAnswer("Leonie KOHLER spent $1,234.50 on 5 March 2024 (about 37.6%).");
  it("reads numbers, dates and names as values", () => {
    expect(states(answer, { value: 1234.5, tolerance: 0 })).toBe(true);
    expect(states(answer, { value: "1234.50", tolerance: 0 })).toBe(true);
    expect(states(answer, { value: 37.62, tolerance: 0 })).toBe(true); // rounded to the decimals written
    expect(states(answer, { value: "2024-03-05 00:00:00", tolerance: 0 })).toBe(true);
    expect(states(answer, { value: "2024-03-07", tolerance: 1 })).toBe(false);
    expect(states(answer, { value: "2024-03-06", tolerance: 1 })).toBe(true);
    expect(states(answer, { value: "Leonie Köhler", tolerance: 0 })).toBe(true);
    expect(states(answer, { value: 1240, tolerance: 5 })).toBe(false);
    expect(states(answer, { value: 1240, tolerance: 6 })).toBe(true);
    expect(states(answer, { value: "Köhler Leonie", tolerance: 0 })).toBe(false);
  });
});

describe("argMatches", () => {
  it("compares by value: numbers, normalized text, lists as sets", () => {
    expect(argMatches(2024, "2024")).toBe(true);
    expect(argMatches("François Tremblay", "francois tremblay")).toBe(true);
    expect(argMatches([1, 2], [2, 1])).toBe(true);
    expect(argMatches([1, 2], [1])).toBe(false);
    expect(argMatches(5, [5])).toBe(true);
    expect(argMatches("Rock", "Jazz")).toBe(false);
  });
});

describe("saysIDontKnow", () => {
  it("recognises a declined answer", () => {
    expect(saysIDontKnow("I don't know: the lookups returned no data.")).toBe(true);
    expect(saysIDontKnow("I could not find a customer by that name.")).toBe(true);
    expect(saysIDontKnow("Leonie spent 37.62.")).toBe(false);
  });
});
