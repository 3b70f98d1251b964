import { describe, expect, it } from "vitest";
import type { PlanStep } from "../core/plan.js";
import type { StepOutcome } from "../core/step-outcome.js";
import type { ExpectedCall } from "./eval-suite-schema.js";
import { scorePlan } from "./score-plan.js";

const expected: ExpectedCall[] = [
  { id: "a", tool: "find_customer", args: { name: "Leonie Köhler" } },
  { id: "b", tool: "list_invoices", args: { customer_ids: [{ $ref: "a" }] } },
];
const outcome = (step: PlanStep, args: Record<string, unknown>): StepOutcome => ({
  step,
  args,
  status: "ok",
  output: { rows: [] },
  durationMs: 1,
});

describe("scorePlan", () => {
  it("compares resolved values (placeholders restored) and references by the step they name", () => {
    const s1 = { id: "s1", tool: "find_customer", args: { name: "<PERSON_1>" } };
    const s2 = {
      id: "s2",
      tool: "list_invoices",
      args: { customer_ids: { $ref: "s1", path: "rows[*].CustomerId" } },
    };
    const score = scorePlan(
      expected,
      [s1, s2],
      [outcome(s1, { name: "LEONIE KOHLER" }), outcome(s2, { customer_ids: [2] })],
    );
    expect(score).toMatchObject({
      toolRecall: 1,
      toolPrecision: 1,
      args: 1,
      shape: 1,
      score: 1,
      correct: true,
    });
  });

  it("marks wrong arguments, a broken dependency and an extra call", () => {
    const s1 = { id: "s1", tool: "find_customer", args: { name: "Astrid Gruber" } };
    const s2 = { id: "s2", tool: "list_invoices", args: { customer_ids: [2] } };
    const s3 = { id: "s3", tool: "top_tracks", args: { genre: "Rock" } };
    const score = scorePlan(
      expected,
      [s1, s2, s3],
      [outcome(s1, s1.args), outcome(s2, s2.args), outcome(s3, s3.args)],
    );
    expect(score.toolRecall).toBe(1);
    expect(score.toolPrecision).toBeCloseTo(2 / 3, 3);
    expect(score.args).toBe(0);
    expect(score.shape).toBe(0);
    expect(score.correct).toBe(false);
    expect(score.problems).toEqual(
      expect.arrayContaining(["unexpected top_tracks", "list_invoices should use the result of a"]),
    );
  });

  it("gives a missing call no credit and an empty expected plan full credit for an empty plan", () => {
    expect(scorePlan(expected, [], [])).toMatchObject({ toolRecall: 0, args: 0, shape: 0, correct: false });
    expect(scorePlan([], [], [])).toMatchObject({ score: 1, correct: true });
  });
});
