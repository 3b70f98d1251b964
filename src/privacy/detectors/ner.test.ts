import { describe, expect, it } from "vitest";
import { createNerDetector, segments } from "./ner.js";

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
  it("does not take common words at line starts or well-known acronyms for entities (#11)", () => {
    const found = (text: string) => ner.detect(text).map((s) => s.value);
    expect(found("Please look up\nMaria\nKeller")).not.toContain("Please look up");
    for (const text of [
      "Show invoices\nfrom last month",
      "Find all customers\nwith open invoices",
      "Hello\nCan you list\nthe top tracks",
      "Translate to German\nplease",
      "Thank you\nBest regards",
      "What is the SSN of the account?",
      "Check the VAT number and the IBAN of the supplier",
      "List the KPI and ROI per quarter, export as CSV",
      "What is the DOB and the PIN?",
      "Send the API key to HR",
      "Summarize\nthe GDPR request",
      "PLEASE CHECK THE TOTALS",
    ])
      expect(found(text), text).toEqual([]);
    // Names after those words and acronyms are still found.
    expect(found("What is the SSN of Maria Keller?")).toContain("Maria Keller");
    expect(found("Look up\nJohn Smith")).toContain("John Smith");
    expect(found("Maria Keller\nBahnhofstrasse 5")).toContain("Maria Keller");
    expect(found("Best regards,\nJohn Smith")).toContain("John Smith");
  });

  it("ends a name where its last word ends, also after accented letters and before a new line", () => {
    const text = "??? Astrid Björgvinsdóttir\n??? Lawdragon\n??? 66029 138 Consul Place";
    const people = ner.detect(text).filter((s) => s.type === "PERSON");
    expect(people.map((s) => s.value)).toContain("Astrid Björgvinsdóttir");
    for (const s of people) {
      expect(s.value).toBe(text.slice(s.start, s.end));
      expect(s.value).not.toContain("\n");
    }
  });

  it("can be limited to some entity kinds", () => {
    const spans = createNerDetector({ types: ["LOCATION"] }).detect("Maria Keller lives in Finland");
    expect(spans.every((s) => s.type === "LOCATION")).toBe(true);
  });

  it("leaves analytics words alone: weak cues on ordinary words, short genre names", () => {
    const people = (text: string) =>
      ner
        .detect(text)
        .filter((s) => s.type === "PERSON")
        .map((s) => s.value);
    expect(people("Revenue grouped by Region and split by Quarter")).toEqual([]);
    expect(people("Sales by Sales Support Agent in 2013")).toEqual([]);
    expect(people("Top tracks in Sci Fi & Fantasy")).toEqual([]);
    expect(people("Orders placed by Maria Keller")).toContain("Maria Keller");
  });
  it("reads long prompts in pieces, with offsets into the whole text", () => {
    const filler = "The quarterly report lists totals per month. ".repeat(100);
    const text = `${filler}What did Maria Keller order from Civic Impulse LLC?`;
    const parts = segments(text);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.text).join("")).toBe(text);
    for (const p of parts) expect(text.slice(p.start, p.start + p.text.length)).toBe(p.text);
    expect(Math.max(...parts.map((p) => p.text.length))).toBeLessThanOrEqual(2000);
    const person = ner.detect(text).find((s) => s.value === "Maria Keller")!;
    expect(text.slice(person.start, person.end)).toBe("Maria Keller");
  });
  it("reads a 50 KB adversarial prompt in bounded pieces (was 14 s in one compromise document)", () => {
    // The cost is bounded by construction: compromise never sees more than one piece. Its timing on
    // this input is a benchmark (bench/privacy-guard.ts), not a test: a loaded machine must not fail it.
    const text = "1 Ab ".repeat(10_000);
    const parts = segments(text);
    expect(parts.length).toBeGreaterThanOrEqual(25);
    expect(Math.max(...parts.map((p) => p.text.length))).toBeLessThanOrEqual(2000);
    expect(parts.map((p) => p.text).join("")).toBe(text);
    for (const s of ner.detect(text)) expect(text.slice(s.start, s.end)).toBe(s.value);
  });
});
