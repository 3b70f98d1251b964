import { describe, expect, it } from "vitest";
import type { StepOutcome } from "../core/step-outcome.js";
import { buildContext } from "./build-context.js";
import { approximateTokenCounter } from "./token-counter.js";

const ok = (id: string, output: unknown): StepOutcome => ({
  step: { id, tool: `t_${id}`, args: {} },
  status: "ok",
  output,
  durationMs: 1,
});
const rows = (n: number) => ({
  rows: Array.from({ length: n }, (_, i) => ({ id: i, name: `Customer number ${i}`, city: "Berlin" })),
});

describe("buildContext", () => {
  it("includes everything when it fits", () => {
    const ctx = buildContext(
      [ok("s1", rows(3)), ok("s2", 7)],
      { contextWindow: 4096, answerReserve: 512, fixedTokens: 100 },
      approximateTokenCounter,
    );
    expect(ctx.includedSteps).toEqual(["s1", "s2"]);
    expect(ctx.droppedSteps).toEqual([]);
    expect(ctx.text).toContain("[s1]");
    expect(ctx.text).toContain("Customer number 2");
    expect(ctx.tokens).toBeLessThanOrEqual(ctx.budget);
  });

  it("never exceeds the budget and marks what was cut or left out", () => {
    const budget = { contextWindow: 600, answerReserve: 200, fixedTokens: 50 };
    const ctx = buildContext([ok("s1", rows(200)), ok("s2", rows(200))], budget, approximateTokenCounter);
    expect(approximateTokenCounter.count(ctx.text)).toBeLessThanOrEqual(ctx.budget);
    expect(ctx.droppedSteps).toContain("s1");
    expect(ctx.droppedSteps).toContain("s2");
    expect(ctx.text).toMatch(/more lines not shown|RESULT NOT SHOWN/);
    expect(ctx.overflow.map((o) => o.step.id)).toEqual(["s1", "s2"]);
  });

  it("always keeps failure notes", () => {
    const failed: StepOutcome = {
      step: { id: "s3", tool: "x", args: {} },
      status: "failed",
      durationMs: 1,
      error: { code: "TOOL_FAILED", message: "db down" },
    };
    const ctx = buildContext(
      [ok("s1", rows(500)), failed],
      { contextWindow: 300, answerReserve: 100, fixedTokens: 20 },
      approximateTokenCounter,
    );
    expect(ctx.text).toContain("LOOKUP FAILED: db down");
  });
});
