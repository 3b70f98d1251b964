import { describe, expect, it } from "vitest";
import { buildDataset } from "./dataset.js";

describe("prompt-privacy eval set", () => {
  const data = buildDataset();

  it("has at least 300 prompts, half development and half held-out, in many languages", () => {
    expect(data.length).toBeGreaterThanOrEqual(300);
    expect(data.filter((p) => p.split === "dev").length).toBe(data.length / 2);
    const langs = new Set(data.map((p) => p.lang));
    for (const lang of ["en", "fr", "de", "ru", "zh", "ja", "ko", "ar"]) expect(langs).toContain(lang);
  });

  it("annotates every unit with its exact span, without overlaps", () => {
    for (const p of data) {
      expect(p.units.length).toBeGreaterThan(0);
      const sorted = [...p.units].sort((a, b) => a.start - b.start);
      sorted.forEach((u, i) => {
        expect(p.text.slice(u.start, u.end)).toBe(u.value);
        if (i > 0) expect(u.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
      });
    }
  });

  it("is deterministic, and the halves share no private value", () => {
    expect(buildDataset()).toEqual(data);
    const values = (split: string) =>
      new Set(
        data.filter((p) => p.split === split).flatMap((p) => p.units.map((u) => u.value.toLowerCase())),
      );
    const dev = values("dev");
    const shared = [...values("test")].filter((v) => dev.has(v));
    expect(shared).toEqual([]);
  });
});
