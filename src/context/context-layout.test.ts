import { describe, expect, it } from "vitest";
import type { StepOutcome } from "../core/step-outcome.js";
import { buildContext } from "./build-context.js";
import { ContextLayout } from "./context-layout.js";
import { approximateTokenCounter as counter } from "./token-counter.js";

const ok = (id: string, rows: number): StepOutcome => ({
  step: { id, tool: "find", args: { id } },
  status: "ok",
  durationMs: 1,
  output: { rows: Array.from({ length: rows }, (_, i) => ({ n: i, name: `row ${i} of ${id}` })) },
});
const failed = (id: string): StepOutcome => ({
  step: { id, tool: "find", args: {} },
  status: "failed",
  durationMs: 1,
  error: { code: "TOOL_FAILED", message: "boom" },
});
const budget = (contextWindow: number) => ({ contextWindow, answerReserve: 0, fixedTokens: 0 });

describe("ContextLayout: the context laid out as results arrive", () => {
  it("only ever appends: the text so far is a prefix of every later text, notes come last", () => {
    const layout = new ContextLayout(budget(4000), counter, { overflow: "shorten" });
    const seen: string[] = [];
    for (const o of [ok("s3", 2), failed("s2"), ok("s1", 3)]) {
      layout.add(o);
      seen.push(layout.resultsText);
    }
    const final = layout.result().text;
    for (const text of seen) expect(final.startsWith(text)).toBe(true);
    expect(final.indexOf("[s3]")).toBeLessThan(final.indexOf("[s1]")); // the order they finished
    expect(final.indexOf("[s2]")).toBeGreaterThan(final.indexOf("[s1]")); // the failure note last
    expect(layout.result().includedSteps).toEqual(["s3", "s1"]);
  });

  it("leaves a result that does not fit to map-reduce (defer), or shortens it (shorten)", () => {
    const deferred = new ContextLayout(budget(120), counter, { overflow: "defer" });
    expect(deferred.add(ok("s1", 2))).toBe(true);
    expect(deferred.add(ok("s2", 40))).toBe(false);
    expect(deferred.result().overflow.map((o) => o.step.id)).toEqual(["s2"]);
    expect(deferred.result().droppedSteps).toEqual([]);
    expect(deferred.resultsText).not.toContain("[s2]");

    const shortened = new ContextLayout(budget(120), counter, { overflow: "shorten" });
    shortened.add(ok("s1", 2));
    expect(shortened.add(ok("s2", 40))).toBe(true);
    expect(shortened.resultsText).toMatch(/\[s2\][\s\S]*more lines not shown/);
    expect(shortened.result().droppedSteps).toEqual(["s2"]);
  });

  it("gives buildContext the plan-order layout it always had", () => {
    const outcomes = [ok("s1", 3), failed("s2"), ok("s3", 60)];
    const built = buildContext(outcomes, budget(300), counter);
    expect(built.text.indexOf("[s1]")).toBeLessThan(built.text.indexOf("[s3]"));
    expect(built.text.endsWith("LOOKUP FAILED: boom")).toBe(true);
    expect(built.droppedSteps).toEqual(["s3"]);
    expect(built.tokens).toBeLessThanOrEqual(built.budget);
  });
});
