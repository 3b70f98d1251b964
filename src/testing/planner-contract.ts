/**
 * The contract every Planner passes: it names itself, returns output that our parser turns
 * into a plan over the offered tools, honours cancellation, and reports usage.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFlmError } from "../errors/flm-error.js";
import { parsePlan } from "../plan/parse-plan.js";
import type { Planner, PlanRequest } from "../plan/planner.js";
import { validatePlan } from "../plan/validate-plan.js";
import { defineTool } from "../tools/define-tool.js";
import { toolSpec } from "../tools/tool.js";

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
  /** The planner reports steps while its reply streams (`onStep`). */
  streams?: boolean;
  /** Makes the next call return this plan, where the implementation can be scripted. */
  script?: (steps: Array<{ tool: string; args: Record<string, unknown> }>) => void;
  /**
   * Makes the next call hang until aborted. The returned promise resolves once that call is in
   * flight (the fake server received it, the model was entered), so the abort lands mid-call.
   */
  hang: () => { inFlight: Promise<void> };
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

    it("when asked to stream, reports complete steps that are the parsed plan's (or none)", async () => {
      const steps = [
        { tool: "weather", args: { city: "<GPE_1>" } },
        { tool: "find_customer", args: { city: "<GPE_1>" } },
      ];
      fixture.script?.(steps);
      const streamed: Array<{ id: string; tool: string; args: Record<string, unknown> }> = [];
      const reply = await fixture.planner.plan(request, {
        signal: new AbortController().signal,
        onStep: (step) => streamed.push(step),
      });
      const parsed = parsePlan(reply.raw);
      expect(parsed.issues).toEqual([]);
      // A planner that cannot stream reports nothing; one that does reports exactly the plan.
      if (streamed.length > 0) expect(streamed).toEqual(parsed.plan!.steps);
      if (fixture.script && fixture.streams)
        expect(streamed.map((s) => s.tool)).toEqual(["weather", "find_customer"]);
    }, 60_000);

    it("rejects promptly with RUN_CANCELLED when its signal is aborted mid-call", async () => {
      const { inFlight } = fixture.hang();
      const controller = new AbortController();
      const pending = fixture.planner.plan(request, { signal: controller.signal }).then(
        (reply) => ({ reply }),
        (error: unknown) => ({ error }),
      );
      await inFlight;
      const t0 = Date.now();
      controller.abort(new Error("stop"));
      const outcome = await pending;
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(outcome).not.toHaveProperty("reply");
      const error = (outcome as { error: unknown }).error;
      expect(isFlmError(error, "RUN_CANCELLED"), String(error)).toBe(true);
      expect((error as Error).name).toBe("PlannerError");
    }, 30_000);
  });
}
