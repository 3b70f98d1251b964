import { describe, expect, it } from "vitest";
import { creditCardDetector, luhnValid } from "./credit-card.js";

describe("creditCardDetector", () => {
  it("accepts Luhn-valid numbers, plain or grouped", () => {
    const spans = creditCardDetector.detect(
      "card 4111 1111 1111 1111 and 374744544168082, 4454-7945-1139-0933",
    );
    expect(spans.map((s) => s.value)).toEqual([
      "4111 1111 1111 1111",
      "374744544168082",
      "4454-7945-1139-0933",
    ]);
  });
  it("rejects Luhn failures and repeated digits", () => {
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(creditCardDetector.detect("4111 1111 1111 1112 and 0000 0000 0000 0000")).toEqual([]);
  });
});
