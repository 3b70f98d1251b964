import { describe, expect, it } from "vitest";
import { layoutPlan } from "./layout-plan.js";
import { timelineBars } from "./timeline-bars.js";
import { makeTrace } from "../../../test/helpers/run-records.js";

describe("layoutPlan", () => {
  it("places every step and one edge per referenced step, labelled with the paths, left to right", () => {
    const layout = layoutPlan(
      {
        mode: "json",
        steps: [
          { id: "s1", tool: "find_customer", args: { name: "<PERSON_1>" } },
          {
            id: "s2",
            tool: "orders",
            args: { id: { $ref: "s1", path: "rows[0].id" }, also: { $ref: "s1", path: "rows[0].id" } },
          },
          {
            id: "s3",
            tool: "invoices",
            args: { ids: { $ref: "s2", path: "items[*].id" }, who: { $ref: "s1" } },
          },
        ],
      },
      [{ id: "s1", tool: "find_customer", args: {}, status: "ok", durationMs: 1 }],
    );
    expect(layout.nodes.map((n) => [n.id, n.status])).toEqual([
      ["s1", "ok"],
      ["s2", undefined],
      ["s3", undefined],
    ]);
    expect(layout.edges.map((e) => [e.from, e.to, e.paths])).toEqual([
      ["s1", "s2", ["rows[0].id"]],
      ["s2", "s3", ["items[*].id"]],
      ["s1", "s3", []],
    ]);
    const x = Object.fromEntries(layout.nodes.map((n) => [n.id, n.x]));
    expect(x.s1).toBeLessThan(x.s2);
    expect(x.s2).toBeLessThan(x.s3);
    for (const n of layout.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
    }
    expect(layout.edges[0].label?.text).toBe("rows[0].id");
    expect(layout.edges[0].points.length).toBeGreaterThanOrEqual(2);
    expect(layout.edges[2].label).toBeUndefined();
  });

  it("puts independent steps in one column (they run in parallel)", () => {
    const layout = layoutPlan({
      mode: "json",
      steps: [
        { id: "a", tool: "t", args: {} },
        { id: "b", tool: "t", args: {} },
      ],
    });
    expect(layout.nodes[0].x).toBe(layout.nodes[1].x);
    expect(layout.nodes[0].y).not.toBe(layout.nodes[1].y);
    expect(layout.edges).toEqual([]);
  });
});

describe("timelineBars", () => {
  it("chains the stages and places parallel steps at their own starts", () => {
    const trace = makeTrace("t", {
      steps: [
        { id: "s1", tool: "a", args: {}, status: "ok", durationMs: 5, startedAtMs: 1000 },
        { id: "s2", tool: "b", args: {}, status: "failed", durationMs: 3, startedAtMs: 1001 },
      ],
      stages: { pseudonymize: 1, plan: 50, execute: 8, context: 2, answer: 30, total: 91 },
    });
    expect(timelineBars(trace).map((b) => [b.kind, b.label, b.startMs, b.durationMs])).toEqual([
      ["pseudonymize", "pseudonymize", 0, 1],
      ["planner", "planner", 1, 50],
      ["step", "s1 a", 51, 5],
      ["step", "s2 b", 52, 3],
      ["context", "context", 59, 2],
      ["answer", "answer", 61, 30],
    ]);
  });

  it("shows only the stages a blocked run reached, and the repairs", () => {
    const trace = makeTrace("t", { steps: [], repairs: 2, stages: { pseudonymize: 1, plan: 20 } });
    expect(timelineBars(trace).map((b) => b.label)).toEqual(["pseudonymize", "planner (2 repairs)"]);
  });
});
