import { describe, expect, it } from "vitest";
import { emailDetector } from "./email.js";

describe("emailDetector", () => {
  it("finds addresses with their exact offsets", () => {
    const text = "Write to maria.keller@acme.de or JamiePratt@jourrapide.com.";
    const spans = emailDetector.detect(text);
    expect(spans.map((s) => s.value)).toEqual(["maria.keller@acme.de", "JamiePratt@jourrapide.com"]);
    expect(text.slice(spans[0]!.start, spans[0]!.end)).toBe("maria.keller@acme.de");
  });
  it("ignores non-addresses", () => {
    expect(emailDetector.detect("user@localhost, @handle, a@b")).toEqual([]);
  });
});
