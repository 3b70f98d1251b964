import { afterAll, describe, expect, it } from "vitest";
import { contractTools, plannerContract } from "../../test/contracts/planner-contract.js";
import { testModelPath } from "../../test/helpers/gguf-writer.js";
import { createLlamaModel } from "../models/llama/index.js";
import { toolSpec } from "../tools/tool.js";
import { createLocalPlanner } from "./local-planner.js";
import { parsePlan } from "./parse-plan.js";
import { validatePlan } from "./validate-plan.js";

// Random or story-only weights: whatever they produce, the grammar must make it a valid plan.
const model = createLlamaModel({ modelPath: testModelPath("tiny-random"), contextSize: 2048 });
afterAll(() => model.dispose());

plannerContract("in-process llama.cpp under a grammar", async () => ({
  planner: createLocalPlanner({ model, maxOutputTokens: 400 }),
}));

describe("local planner on the in-process model", () => {
  it("always produces plans that parse and validate, across seeds", async () => {
    const tools = new Map(contractTools.map((t) => [t.name, t]));
    for (const prompt of ["weather in Rome?", "customers in Oslo and the weather there", "hello"]) {
      const planner = createLocalPlanner({ model, maxOutputTokens: 400 });
      const reply = await planner.plan(
        { prompt, tools: contractTools.map(toolSpec), date: "2026-11-26", maxSteps: 3 },
        { signal: new AbortController().signal },
      );
      const parsed = parsePlan(reply.raw);
      // A reply cut by maxOutputTokens is the only way out of the grammar; then the repair loop asks again.
      if (parsed.plan) expect(validatePlan(parsed.plan, tools, { maxSteps: 3 }), prompt).toEqual([]);
      else expect(parsed.issues[0].kind).toBe("malformed");
      expect(planner.name.startsWith("local:")).toBe(true);
    }
  }, 120_000);
});
