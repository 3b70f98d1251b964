import { describe, expect, it } from "vitest";
import type { PlanStep } from "../core/plan.js";
import { renderCompactPlan } from "./compact-plan.js";
import { JsonPlanReader } from "./json-plan-reader.js";
import { parsePlan } from "./parse-plan.js";
import { createPlanStepReader, type PlanStepReader } from "./plan-step-reader.js";

const STEPS: PlanStep[] = [
  { id: "s1", tool: "find", args: { q: 'a "quoted" {brace} [bracket]', nested: { deep: [1, { x: "}" }] } } },
  { id: "s2", tool: "list", args: { ids: { $ref: "s1", path: "rows[*].id" } } },
];

/** Feeds text one character at a time; returns each step with the index of the character that completed it. */
function feed(reader: PlanStepReader, text: string) {
  const seen: Array<{ step: PlanStep; at: number }> = [];
  for (let i = 0; i < text.length; i++) for (const step of reader.push(text[i])) seen.push({ step, at: i });
  return seen;
}

describe("reading a JSON plan as it streams", () => {
  it("returns each step when its object closes, even with braces and quotes inside strings", () => {
    const text = JSON.stringify({ steps: STEPS });
    const seen = feed(new JsonPlanReader(), text);
    expect(seen.map((s) => s.step)).toEqual(STEPS);
    expect(text[seen[0].at]).toBe("}");
    expect(seen[0].at).toBe(JSON.stringify({ steps: [STEPS[0]] }).length - 3);
    expect(parsePlan({ kind: "text", text }).plan!.steps).toEqual(STEPS);
  });

  it("accepts prose and a code fence before the JSON, a bare array, other keys, and default ids", () => {
    const fenced = `Here you go:\n\`\`\`json\n{"note": "x", "steps": [{"tool": "a", "arguments": {"k": 1}}]}\n\`\`\``;
    expect(feed(new JsonPlanReader(), fenced).map((s) => s.step)).toEqual([
      { id: "s1", tool: "a", args: { k: 1 } },
    ]);
    const bare = JSON.stringify(STEPS);
    expect(feed(new JsonPlanReader(), bare).map((s) => s.step)).toEqual(STEPS);
  });

  it("skips an element that is not a step (parsePlan reports it at the end)", () => {
    const text = '{"steps": [{"id": "s1"}, 42, {"id": "s3", "tool": "b", "args": {}}]}';
    expect(feed(new JsonPlanReader(), text).map((s) => s.step.id)).toEqual(["s3"]);
    expect(parsePlan({ kind: "text", text }).issues[0].message).toContain("step 1");
  });

  it("ignores steps arrays below the top level and anything after the plan", () => {
    const text =
      '{"meta": {"steps": [{"tool": "no"}]}, "steps": [{"id": "s1", "tool": "yes", "args": {}}]} {"steps": [{"tool": "after"}]}';
    expect(feed(new JsonPlanReader(), text).map((s) => s.step.tool)).toEqual(["yes"]);
  });
});

describe("the reader for a planner's format", () => {
  it("reads compact lines in compact mode", () => {
    const seen = feed(createPlanStepReader("compact"), `\`\`\`\n${renderCompactPlan(STEPS)}\n\`\`\``);
    expect(seen.map((s) => s.step)).toEqual(STEPS);
  });

  it("reads JSON in compact mode when the model wrote JSON anyway", () => {
    const seen = feed(
      createPlanStepReader("compact"),
      `\`\`\`json\n${JSON.stringify({ steps: STEPS })}\n\`\`\``,
    );
    expect(seen.map((s) => s.step)).toEqual(STEPS);
  });
});
