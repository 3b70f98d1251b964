import { describe, expect, it } from "vitest";
import { sanitizeToolName, uniqueToolNames } from "./tool-name.js";

const RULE = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;

describe("sanitizeToolName", () => {
  it.each([
    ["get-sum", undefined, "get-sum"],
    ["read_file", "files", "files_read_file"],
    ["GET /orders/{id}", undefined, "GET_orders_id"],
    ["files.read", undefined, "files_read"],
    ["123start", undefined, "start"],
    ["日本語", undefined, "tool"],
  ])("%s (prefix %s) → %s", (raw, prefix, expected) => {
    expect(sanitizeToolName(raw, prefix)).toBe(expected);
  });

  it("always satisfies the provider rule, also for long names", () => {
    for (const raw of ["x".repeat(200), `a${"-".repeat(100)}b`, "_", "9", "a/b/c/".repeat(30)]) {
      expect(sanitizeToolName(raw)).toMatch(RULE);
    }
  });
});

describe("uniqueToolNames", () => {
  it("suffixes duplicates and stays within 64 characters", () => {
    const long = "y".repeat(64);
    expect(uniqueToolNames(["a", "a", "b", "a"])).toEqual(["a", "a_2", "b", "a_3"]);
    const [first, second] = uniqueToolNames([long, long]);
    expect(first).toBe(long);
    expect(second).toMatch(RULE);
    expect(second).not.toBe(first);
  });
});
