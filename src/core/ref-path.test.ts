import { describe, expect, it } from "vitest";
import { MISSING, parseRefPath, resolveRefPath } from "./ref-path.js";

describe("ref paths", () => {
  const output = { rows: [{ customer_id: 7, "odd key": "x" }, { customer_id: 9 }], total: 2 };

  it("parses and resolves keys, indexes, quoted keys and [*]", () => {
    expect(resolveRefPath(output, parseRefPath("rows[0].customer_id")!)).toBe(7);
    expect(resolveRefPath(output, parseRefPath("total")!)).toBe(2);
    expect(resolveRefPath(output, parseRefPath('rows[0]["odd key"]')!)).toBe("x");
    expect(resolveRefPath(output, parseRefPath("rows[*].customer_id")!)).toEqual([7, 9]);
    expect(resolveRefPath(output, parseRefPath("")!)).toBe(output);
  });

  it("reports missing segments instead of throwing", () => {
    expect(resolveRefPath(output, parseRefPath("rows[5].customer_id")!)).toBe(MISSING);
    expect(resolveRefPath(output, parseRefPath("nope")!)).toBe(MISSING);
    expect(resolveRefPath(output, parseRefPath("total.x")!)).toBe(MISSING);
  });

  it("rejects malformed paths", () => {
    for (const bad of ["rows[", "rows[-1]", ".rows", "rows..x", "rows[a]", "a b"]) {
      expect(parseRefPath(bad), bad).toBeUndefined();
    }
  });

  it("does not walk the prototype chain", () => {
    expect(resolveRefPath({}, parseRefPath("constructor")!)).toBe(MISSING);
  });
});
