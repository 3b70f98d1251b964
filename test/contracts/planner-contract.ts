/**
 * The contract every Planner passes: it names itself, returns output that our parser turns
 * into a plan over the offered tools, honours cancellation, and reports usage.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePlan } from "../../src/plan/parse-plan.js";
import type { Planner, PlanRequest } from "../../src/plan/planner.js";
import { validatePlan } from "../../src/plan/validate-plan.js";
import { defineTool } from "../../src/tools/define-tool.js";
import { toolSpec } from "../../src/tools/tool.js";

export const contractTools = [
  defineTool({
    name: "find_customer",
    description: "Find customers by city",
    input: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    },
    run: async () => ({}),
  }),
  defineTool({
    name: "weather",
    description: "Weather in a city",
    input: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    },
    run: async () => ({}),
  }),
];

export interface PlannerFixture {
  planner: Planner;
  /** Makes the next call return this plan, where the implementation can be scripted. */
  script?: (steps: Array<{ tool: string; args: Record<string, unknown> }>) => void;
  /** Makes the next call hang until aborted, where possible. */
  hang?: () => void;
  close?: () => Promise<void>;
}

export function plannerContract(name: string, setup: () => Promise<PlannerFixture>): void {
  describe(`Planner contract: ${name}`, () => {
    let fixture: PlannerFixture;
    beforeAll(async () => {
      fixture = await setup();
    }, 120_000);
    afterAll(async () => {
      await fixture?.close?.();
    });
    const request: PlanRequest = {
      prompt: "What is the weather in <GPE_1>?",
      tools: contractTools.map(toolSpec),
      date: "2026-11-26",
      maxSteps: 3,
    };

    it("has a name and a location", () => {
      expect(fixture.planner.name).toMatch(/\S/);
      expect(["cloud", "local"]).toContain(fixture.planner.location);
    });

    it("returns output that parses into a valid plan over the offered tools", async () => {
      fixture.script?.([{ tool: "weather", args: { city: "<GPE_1>" } }]);
      const reply = await fixture.planner.plan(request, { signal: new AbortController().signal });
      const parsed = parsePlan(reply.raw);
      expect(parsed.issues).toEqual([]);
      const tools = new Map(contractTools.map((t) => [t.name, t]));
      expect(validatePlan(parsed.plan!, tools, { maxSteps: 3 })).toEqual([]);
      if (fixture.script) expect(parsed.plan!.steps.map((s) => s.tool)).toEqual(["weather"]);
      expect(reply.usage.inputTokens).toBeGreaterThan(0);
      expect(reply.usage.outputTokens).toBeGreaterThanOrEqual(0);
    }, 60_000);

    it("rejects promptly when its signal is aborted", async () => {
      fixture.hang?.();
      const controller = new AbortController();
      const pending = fixture.planner.plan(request, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error("stop")), 50);
      const t0 = Date.now();
      await expect(pending).rejects.toBeDefined();
      expect(Date.now() - t0).toBeLessThan(5000);
    }, 30_000);
  });
}
