import { describe, expect, it } from "vitest";
import { ssnValid, usSsnDetector } from "./us-ssn.js";

describe("usSsnDetector", () => {
  it("finds dashed SSNs and bare ones after a keyword", () => {
    expect(usSsnDetector.detect("Here's my SSN: 460-89-9847").map((s) => s.value)).toEqual(["460-89-9847"]);
    expect(usSsnDetector.detect("social security number 460899847").map((s) => s.value)).toEqual([
      "460899847",
    ]);
  });
  it("rejects invalid area, group and serial", () => {
    for (const bad of [
      "000-12-3456",
      "666-12-3456",
      "912-12-3456",
      "123-00-4567",
      "123-45-0000",
      "078-05-1120",
    ]) {
      expect(ssnValid(bad), bad).toBe(false);
    }
    expect(usSsnDetector.detect("ref 123-45 6789 and 460-89-98470")).toEqual([]);
  });
  it("still finds a 9xx area (ITINs, synthetic test data) as a taxpayer number (#11)", () => {
    expect(usSsnDetector.detect("SSN 999-12-3456, ITIN 912-70-1234").map((s) => [s.value, s.score])).toEqual([
      ["999-12-3456", 0.75],
      ["912-70-1234", 0.75],
    ]);
    expect(usSsnDetector.detect("ssn: 999123456").map((s) => s.value)).toEqual(["999123456"]);
    expect(usSsnDetector.detect("999-00-3456 and 900-12-0000")).toEqual([]);
  });
});
