import { describe, expect, it } from "vitest";
import { coverValue, entityType, ValueIndex } from "./value-index.js";

describe("ValueIndex", () => {
  const index = new ValueIndex();
  index.add({ type: "PERSON", value: "José García", origin: "crm.customers.name" });
  index.add({ type: "customers.email", value: "maria.keller@acme.de", origin: "crm.customers.email" });
  index.add({ type: "PERSON", value: "Maria Keller", origin: "crm.customers.name" });
  index.add({ type: "CITY", value: "Köln", origin: "crm.customers.city" });

  it("matches case- and accent-insensitively, multi-word, with offsets into the text", () => {
    const text = "Did JOSE garcia or maria keller (maria.keller@acme.de) move to Koln?";
    const spans = index.match(text);
    expect(spans.map((s) => [s.type, s.value])).toEqual([
      ["PERSON", "JOSE garcia"],
      ["PERSON", "maria keller"],
      ["CUSTOMERS_EMAIL", "maria.keller@acme.de"],
      ["CITY", "Koln"],
    ]);
  });

  it("matches whole words only", () => {
    expect(index.match("Mariah Kellerman from Kölner Dom")).toEqual([]);
  });

  it("skips values that are too short and indexes async sources", async () => {
    const small = new ValueIndex({ minLength: 3 });
    async function* values() {
      yield { type: "X", value: "ab", origin: "t.c" };
      yield { type: "X", value: "abc", origin: "t.c" };
    }
    expect(await small.addAll(values())).toBe(1);
    expect(small.match("ab abc").map((s) => s.value)).toEqual(["abc"]);
  });

  it("reports origins, never values, to the egress guard", () => {
    const hits = index.asDetector().detect("José García");
    expect(hits).toHaveLength(1);
    expect(entityType("patients.ssn")).toBe("PATIENTS_SSN");
    expect(entityType("1st")).toBe("V_1ST");
  });

  it("finds declared identifiers in any grouping and restores the value as stored (#11)", () => {
    const ids = new ValueIndex();
    ids.add({ type: "US_SSN", value: "999-12-3456", origin: "crm.ssn" });
    ids.add({ type: "PHONE", value: "(402) 555-0142", origin: "crm.phone" });
    const text = "Is 999123456 the SSN of +1 402.555.0142?";
    expect(ids.match(text).map((s) => [s.value, s.original])).toEqual([
      ["999123456", "999-12-3456"],
      ["+1 402.555.0142", "(402) 555-0142"],
    ]);
  });

  it("covers the whole declared value, its parentheses included (#11)", () => {
    const phones = new ValueIndex();
    phones.add({ type: "PHONE", value: "(402) 555-0142", origin: "crm.phone" });
    const text = "Who has phone (402) 555-0142?";
    const [span] = phones.match(text);
    expect(text.slice(span!.start, span!.end)).toBe("(402) 555-0142");
    expect(coverValue("x (402) 555-0142)", 3, 16, "402 555 0142")).toEqual([2, 16]);
  });

  it("ignores invisible characters and look-alike letters, and catches one typo in a name (#11)", () => {
    expect(index.match("Mar\u200bia Kel\u00adler").map((s) => s.original)).toEqual(["Maria Keller"]);
    expect(index.match("M\u0430ria Keller").map((s) => s.original)).toEqual(["Maria Keller"]);
    const typo = index.match("maria kelle and josé garcia");
    expect(typo.map((s) => [s.value, s.original])).toEqual([
      ["maria kelle", undefined],
      ["josé garcia", "José García"],
    ]);
    // Not for words of their own, not for short names, not twice in one value.
    expect(index.match("marie keller, mara kellar, Koln")).toHaveLength(1);
    expect(index.match("the cellar", { typos: true })).toEqual([]);
  });

  it("treats a single word glued into an identifier as part of it, not a mention (#11)", () => {
    const words = new ValueIndex();
    words.add({ type: "PERSON", value: "Green", origin: "crm.last_name" });
    expect(words.match(".green-bg green_button ui/green green@x.org")).toEqual([]);
    expect(words.match("Mr Green, green's, (green)").map((s) => s.value)).toEqual([
      "Green",
      "green",
      "green",
    ]);
    expect(index.match("/customers/maria-keller/orders").map((s) => s.value)).toEqual(["maria-keller"]);
  });
});
