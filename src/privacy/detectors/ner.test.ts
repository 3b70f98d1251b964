import { describe, expect, it } from "vitest";
import { createNerDetector } from "./ner.js";

describe("createNerDetector (compromise + cues)", () => {
  const ner = createNerDetector();
  it("finds people, organisations and places with trimmed offsets", () => {
    const text = "What did Maria Keller order from Civic Impulse LLC in Finland?";
    const spans = ner.detect(text);
    const byType = (t: string) => spans.filter((s) => s.type === t).map((s) => text.slice(s.start, s.end));
    expect(byType("PERSON")).toContain("Maria Keller");
    expect(byType("ORGANIZATION")).toContain("Civic Impulse LLC");
    expect(byType("LOCATION")).toContain("Finland");
  });
  it("uses context cues for names it does not know", () => {
    const spans = ner.detect("my name is borna jerković but everyone calls me borna");
    expect(spans.filter((s) => s.type === "PERSON").map((s) => s.value)).toContain("borna jerković");
  });
  it("takes surname lists for firms, but not lists with first names or common words", () => {
    const orgs = (text: string) =>
      ner
        .detect(text)
        .filter((s) => s.type === "ORGANIZATION")
        .map((s) => s.value);
    expect(orgs("Tomomi is from Hawkins, Richardson and Santana")).toContain(
      "Hawkins, Richardson and Santana",
    );
    expect(orgs("They had 6: Derek, Anna and Andrew.")).toEqual([]);
    expect(orgs("Compare Rock, Jazz and Metal sales")).toEqual([]);
  });
  it("can be limited to some entity kinds", () => {
    const spans = createNerDetector({ types: ["LOCATION"] }).detect("Maria Keller lives in Finland");
    expect(spans.every((s) => s.type === "LOCATION")).toBe(true);
  });
});
