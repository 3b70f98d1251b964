import { describe, expect, it } from "vitest";
import { dateTimeDetector } from "./date-time.js";

describe("dateTimeDetector", () => {
  it("finds ISO, numeric and written dates", () => {
    const text = "At 1992-02-08 20:15:24, on 3/13/1956, 3 March 1985 and next Friday.";
    expect(dateTimeDetector.detect(text).map((s) => s.value)).toEqual(
      expect.arrayContaining(["1992-02-08 20:15:24", "3/13/1956", "3 March 1985", "Friday"]),
    );
  });
  it("types a date after 'born' as DATE_OF_BIRTH and rejects impossible dates", () => {
    expect(dateTimeDetector.detect("She was born on 2/8/1935.")[0]).toMatchObject({
      type: "DATE_OF_BIRTH",
      value: "2/8/1935",
    });
    expect(dateTimeDetector.detect("2024-13-45 and 45/45/2020")).toEqual([]);
  });
});
