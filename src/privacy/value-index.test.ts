import { describe, expect, it } from "vitest";
import { entityType, ValueIndex } from "./value-index.js";

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
});
