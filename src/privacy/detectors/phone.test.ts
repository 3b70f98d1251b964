import { describe, expect, it } from "vitest";
import { phoneDetector } from "./phone.js";

describe("phoneDetector", () => {
  it("finds international and national formats", () => {
    for (const phone of [
      "+41 (0)85 806 98 67",
      "(579)888-3058",
      "001-518-640-0854",
      "0688 872 49 99",
      "03.93.92.16.85",
      "+1-903-140-4508x769",
      "+447700677662",
      "905-674-3793",
    ]) {
      expect(
        phoneDetector.detect(`call ${phone} now`).map((s) => s.value),
        phone,
      ).toEqual([phone]);
    }
  });
  it("ignores short numbers, dates and IPs", () => {
    expect(phoneDetector.detect("order 12345, on 2024-01-15, at 10.1.2.3, 1 2 3 4 5 6 7")).toEqual([]);
  });
});
