import { describe, expect, it } from "vitest";
import { normalise, topByDot } from "./vector-math.js";

describe("topByDot", () => {
  const rows = [
    [1, 0],
    [0, 1],
    [0.8, 0.6],
    [-1, 0],
  ];
  const vectors = {
    ids: Int32Array.from([10, 11, 12, 13]),
    matrix: Float32Array.from(rows.flatMap((r) => [...normalise(r)])),
    dims: 2,
  };
  const query = normalise([1, 0.1]);

  it("returns the best `limit` rows, best first, with their chunk ids", () => {
    const top = topByDot(query, vectors, 2);
    expect(top.map((t) => t.chunkId)).toEqual([10, 12]);
    expect(top[0].score).toBeGreaterThan(top[1].score);
  });

  it("keeps to the allowed ids", () => {
    expect(topByDot(query, vectors, 3, new Set([11, 13])).map((t) => t.chunkId)).toEqual([11, 13]);
  });
});
