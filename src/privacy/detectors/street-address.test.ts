import { describe, expect, it } from "vitest";
import { streetAddressDetector } from "./street-address.js";

describe("streetAddressDetector", () => {
  it("finds English, European and military addresses", () => {
    for (const address of [
      "216 Menzies Street",
      "1668 Glyn St",
      "6750 Koskikatu 25",
      "Rua Igreja 25",
      "ul. Słowicza 10",
      "PSC 1437, Box 3833\nAPO AA 66791",
      "P.O. Box 242",
      "20789 Allika 46",
      "5850 Jana Nerudy 894",
      "Kálmán Imre u. 12",
    ]) {
      const found = streetAddressDetector.detect(`Lives at ${address}\nsomewhere`).map((s) => s.value);
      expect(found, address).toContain(address);
    }
  });
  it("does not fire on plain prose", () => {
    expect(streetAddressDetector.detect("I bought 10 green apples and 3 books on the way")).toEqual([]);
    expect(streetAddressDetector.detect("Thank you. 5 items in 2013 Q4 2")).toEqual([]);
    expect(streetAddressDetector.detect("Invoices 2013\n12345\n")).toEqual([]);
  });
  it("adds the postcode closing an address block, only after a street", () => {
    const text = "20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488";
    expect(streetAddressDetector.detect(text).map((s) => s.value)).toContain("62488");
    expect(streetAddressDetector.detect("Order count\n Estonia 62488").map((s) => s.value)).toEqual([]);
  });
  it("stays linear on a long run of letters (no quadratic backtracking)", () => {
    // Unbounded word patterns took ~18 s on 50,000 letters; bounded, a few tens of ms.
    for (const text of ["a".repeat(50_000), "Ab-".repeat(16_000)]) {
      const started = performance.now();
      expect(streetAddressDetector.detect(text)).toEqual([]);
      expect(performance.now() - started).toBeLessThan(2_000);
    }
    const long = `${"x".repeat(60)}\nKoskikatu 25`;
    expect(streetAddressDetector.detect(long).map((s) => s.value)).toEqual(["Koskikatu 25"]);
  });
});
