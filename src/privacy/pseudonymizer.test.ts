import { describe, expect, it } from "vitest";
import { isFlmError } from "../errors/flm-error.js";
import { createNerDetector, structuredDetectors } from "./detectors/index.js";
import { PlaceholderVault } from "./placeholder-vault.js";
import { PolicyBlockedError } from "./privacy-errors.js";
import { createPseudonymizer, resolveOverlaps } from "./pseudonymizer.js";
import type { Span } from "./span.js";
import { ValueIndex } from "./value-index.js";

/** The quadratic resolution resolveOverlaps replaced: the reference it must agree with. */
function resolveOverlapsReference(spans: Span[]): Span[] {
  const inside = (a: Span, b: Span) =>
    b.start <= a.start && a.end <= b.end && b.end - b.start > a.end - a.start;
  const outer = spans.filter(
    (a) => !spans.some((b) => (b.score ?? 0.5) >= 0.9 && b.end > b.start && inside(a, b)),
  );
  const sorted = outer.sort(
    (a, b) => (b.score ?? 0.5) - (a.score ?? 0.5) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Span[] = [];
  for (const s of sorted) {
    if (s.end <= s.start) continue;
    if (kept.every((k) => s.end <= k.start || s.start >= k.end)) kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
}

describe("createPseudonymizer", () => {
  const index = new ValueIndex();
  index.add({ type: "PERSON", value: "Maria Keller", origin: "crm.customers.name" });

  it("replaces detected and indexed values with stable placeholders across turns", () => {
    const p = createPseudonymizer({ valueIndex: index });
    const vault = new PlaceholderVault();
    const first = p.pseudonymize("What did Maria Keller, maria.keller@acme.de, order in 2013?", vault);
    expect(first.text).toBe("What did <PERSON_1>, <EMAIL_1>, order in 2013?");
    expect(first.counts).toEqual({ PERSON: 1, EMAIL: 1 });
    const second = p.pseudonymize("And MARIA KELLER's card 4111 1111 1111 1111?", vault);
    expect(second.text).toBe("And <PERSON_1>'s card <CREDIT_CARD_1>?");
    expect(vault.restore(second.text)).toBe("And Maria Keller's card 4111 1111 1111 1111?");
  });

  it("replaces declared values even where their type is allowed (allow is for detections)", () => {
    const p = createPseudonymizer({
      valueIndex: index,
      defaultPolicy: "allow",
      policies: { PERSON: "allow" },
    });
    const out = p.pseudonymize("Is Maria Keller or John Smith in?", new PlaceholderVault());
    expect(out.text).toBe("Is <PERSON_1> or John Smith in?");
  });

  it("applies block and allow policies, naming the type but never the value", () => {
    const p = createPseudonymizer({ policies: { US_SSN: "block", EMAIL: "allow" } });
    const vault = new PlaceholderVault();
    expect(p.pseudonymize("mail a@b.de", vault).text).toBe("mail a@b.de");
    let error: unknown;
    try {
      p.pseudonymize("my SSN is 460-89-9847", vault);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyBlockedError);
    expect(isFlmError(error, "PRIVACY_POLICY_BLOCKED")).toBe(true);
    expect((error as Error).message).toContain("US_SSN");
    expect((error as Error).message).not.toContain("460-89-9847");
    expect(vault.size).toBe(0);
  });

  it("resolves overlaps: higher score, then longer, wins", () => {
    const spans = resolveOverlaps([
      { type: "PHONE", start: 0, end: 10, value: "", score: 0.6 },
      { type: "CREDIT_CARD", start: 0, end: 19, value: "", score: 0.9 },
      { type: "A", start: 20, end: 25, value: "", score: 0.5 },
      { type: "B", start: 20, end: 30, value: "", score: 0.5 },
    ]);
    expect(spans.map((s) => s.type)).toEqual(["CREDIT_CARD", "B"]);
  });

  it("resolves overlaps exactly as the quadratic reference does, on random spans", () => {
    let seed = 12;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const scores = [0.3, 0.45, 0.5, 0.55, 0.9, 0.95, 1];
    for (let round = 0; round < 300; round++) {
      const spans: Span[] = Array.from({ length: 1 + rand(40) }, (_, i) => {
        const start = rand(60);
        return { type: `T${i}`, start, end: start + rand(12), value: "", score: scores[rand(scores.length)] };
      });
      expect(resolveOverlaps([...spans])).toEqual(resolveOverlapsReference([...spans]));
    }
  });

  it("can include NER for names that are not in the data", () => {
    const p = createPseudonymizer({ detectors: [...structuredDetectors(), createNerDetector()] });
    const out = p.pseudonymize("Please ask Thomas Becker from Civic Impulse LLC.", new PlaceholderVault());
    expect(out.text).toBe("Please ask <PERSON_1> from <ORGANIZATION_1>.");
  });

  it("uses what a detector found elsewhere (another thread) in its place, with the same result", () => {
    const ner = createNerDetector();
    const text =
      "Please ask Thomas Becker from Civic Impulse LLC, maria@acme.de, in Lisbon about Maria Keller.";
    const here = createPseudonymizer({ detectors: [...structuredDetectors(), ner], valueIndex: index });
    const expected = here.pseudonymize(text, new PlaceholderVault());
    let called = 0;
    const elsewhere = {
      name: "ner",
      detect: () => {
        called++;
        return [];
      },
    };
    const p = createPseudonymizer({ detectors: [...structuredDetectors(), elsewhere], valueIndex: index });
    const got = p.pseudonymize(text, new PlaceholderVault(), {
      detected: new Map([[elsewhere, ner.detect(text)]]),
    });
    expect(called).toBe(0);
    expect(got).toEqual(expected);
    expect(got.text).toContain("<PERSON_1>");
  });
});
