import { describe, expect, it } from "vitest";
import { ibanDetector, ibanValid } from "./iban.js";

describe("ibanDetector", () => {
  it("accepts compact, grouped and lower-case IBANs and stops before trailing words", () => {
    const text = "From GB56HXDO88167774656119 to DE89 3704 0044 0532 0130 00 to gb42nawi04454264788619.";
    expect(ibanDetector.detect(text).map((s) => s.value)).toEqual([
      "GB56HXDO88167774656119",
      "DE89 3704 0044 0532 0130 00",
      "gb42nawi04454264788619",
    ]);
  });
  it("checks mod-97 and the country length", () => {
    expect(ibanValid("DE89370400440532013000")).toBe(true);
    expect(ibanValid("DE88370400440532013000")).toBe(false); // check digits
    expect(ibanValid("DE8937040044053201300")).toBe(false); // length
    expect(ibanDetector.detect("XX89370400440532013000")).toEqual([]);
  });
});
