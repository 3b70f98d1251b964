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
    ]) {
      const found = streetAddressDetector.detect(`Lives at ${address}\nsomewhere`).map((s) => s.value);
      expect(found, address).toContain(address);
    }
  });
  it("does not fire on plain prose", () => {
    expect(streetAddressDetector.detect("I bought 10 green apples and 3 books on the way")).toEqual([]);
  });
});
