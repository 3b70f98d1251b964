import { describe, expect, it } from "vitest";
import { cutDeeperThan, describeShapeProblem, jsonShapeProblem } from "./json-shape.js";

/** `[[[…x…]]]` `depth` levels deep, built without recursion. */
function nested(depth: number, leaf: unknown = "x"): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
}

describe("jsonShapeProblem", () => {
  it("measures depth and size without recursion, even 200,000 levels down", () => {
    expect(jsonShapeProblem(nested(32), { maxDepth: 32, maxNodes: 100 })).toBeUndefined();
    expect(jsonShapeProblem(nested(33), { maxDepth: 32, maxNodes: 100 })).toMatchObject({
      kind: "depth",
      limit: 32,
    });
    const deep = jsonShapeProblem(nested(200_000), { maxDepth: 32, maxNodes: 1_000_000 });
    expect(deep?.kind).toBe("depth");
    expect(describeShapeProblem(deep!)).toMatch(/nested more than 32 levels deep \(at \/0\/k\/0/);
    expect(jsonShapeProblem({ a: Array(50).fill(1) }, { maxDepth: 5, maxNodes: 50 })).toMatchObject({
      kind: "nodes",
    });
  });

  it("shares one node budget across values checked with the same counter", () => {
    const counter = { nodes: 0 };
    expect(jsonShapeProblem([1, 2, 3], { maxDepth: 2, maxNodes: 6 }, counter)).toBeUndefined();
    expect(jsonShapeProblem([1, 2, 3], { maxDepth: 2, maxNodes: 6 }, counter)?.kind).toBe("nodes");
  });

  it("counts a Buffer or a Date as one value", () => {
    expect(
      jsonShapeProblem({ b: Buffer.alloc(10_000), d: new Date() }, { maxDepth: 1, maxNodes: 3 }),
    ).toBeUndefined();
  });
});

describe("cutDeeperThan", () => {
  it("returns the same value when nothing is too deep", () => {
    const v = { a: [1, { b: 2 }] };
    expect(cutDeeperThan(v, 3)).toEqual({ value: v, cut: 0 });
    expect(cutDeeperThan(v, 3).value).toBe(v);
  });

  it("replaces what is nested too deep by a marker, keeping key order and everything shallower", () => {
    const v = { z: 1, deep: nested(100_000), a: [1, 2] };
    const { value, cut } = cutDeeperThan(v, 4, "[cut]");
    expect(cut).toBe(1);
    expect(Object.keys(value as object)).toEqual(["z", "deep", "a"]);
    expect(JSON.stringify(value)).toBe('{"z":1,"deep":[{"k":["[cut]"]}],"a":[1,2]}');
  });
});
