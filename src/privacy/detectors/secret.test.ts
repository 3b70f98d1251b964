import { describe, expect, it } from "vitest";
import { secretDetector } from "./secret.js";

describe("secretDetector", () => {
  it("finds common key formats", () => {
    const keys = [
      "sk-proj-abcdefghijklmnopqrstuvwxyz012345",
      "AKIAIOSFODNN7EXAMPLE",
      "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB",
      "xoxb-1234567890-abcdefghij",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ];
    for (const key of keys)
      expect(
        secretDetector.detect(`key=${key} end`).map((s) => s.value),
        key,
      ).toContain(key);
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----";
    expect(secretDetector.detect(`x ${pem} y`)[0]?.value).toBe(pem);
  });
  it("flags high-entropy tokens but not words, UUIDs or low-entropy strings", () => {
    expect(secretDetector.detect("token Zk8qP2xLm9Vt4RwB7nYc3HdJ6sFg end")).toHaveLength(1);
    expect(
      secretDetector.detect(
        "internationalization-and-localization 123e4567-e89b-12d3-a456-426614174000 aaaaaaaaaaaaaaaaaaaaaaaa1",
      ),
    ).toEqual([]);
  });
});
