import { describe, expect, it } from "vitest";
import { isQuantity } from "./quantity.js";

describe("isQuantity", () => {
  it("keeps small integers, years, decimals, units, times, versions and ranges", () => {
    for (const t of ["3", "40", "2024", "6.2", "850mg", "2gb", "3pm", "12th", "10:30", "v4.1", "3-5", "80k"])
      expect(isQuantity(t), t).toBe(true);
  });
  it("treats long digit runs and leading zeros as identifiers", () => {
    for (const t of ["12345", "0042", "4417-2291", "99881122"]) expect(isQuantity(t), t).toBe(false);
  });
  it("keeps amounts next to a currency", () => {
    expect(isQuantity("85000", "$")).toBe(true);
    expect(isQuantity("92000", "", " euros")).toBe(true);
    expect(isQuantity("85000", "$", "", false)).toBe(false);
  });
});
