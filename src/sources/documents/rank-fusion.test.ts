import { describe, expect, it } from "vitest";
import { reciprocalRankFusion } from "./rank-fusion.js";

describe("reciprocalRankFusion", () => {
  it("sums 1/(k+rank) over lists; items in both lists rise", () => {
    const fused = reciprocalRankFusion([
      ["a", "b", "c"],
      ["c", "d"],
    ]);
    expect(fused.map((f) => f.item)).toEqual(["c", "a", "b", "d"]); // b and d tie; earlier lists win ties
    expect(fused[0].score).toBeCloseTo(1 / 63 + 1 / 61);
  });
});
