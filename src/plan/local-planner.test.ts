import { wrapLanguageModel } from "ai";
import { afterAll, describe, expect, it } from "vitest";
import { contractTools, plannerContract } from "../testing/planner-contract.js";
import { testModelPath } from "../../test/helpers/gguf-writer.js";
import { createLlamaModel } from "../models/llama/index.js";
import { toolSpec } from "../tools/tool.js";
import { createLocalPlanner } from "./local-planner.js";
import { parsePlan } from "./parse-plan.js";
import { validatePlan } from "./validate-plan.js";

// Random or story-only weights: whatever they produce, the grammar must make it a valid plan.
const model = createLlamaModel({ modelPath: testModelPath("tiny-random"), contextSize: 2048 });
afterAll(() => model.dispose());

/**
 * The real model behind a gate: after `hang()`, the next call enters the model, reports that it is
 * in flight, and waits for its abort signal before llama.cpp sees it. The abort therefore always
 * lands mid-call, however fast the tiny model would have answered.
 */
function gatedModel() {
  let entered: (() => void) | undefined;
  const gated = wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: "v3",
      wrapGenerate: async ({ doGenerate, params }) => {
        const signalEntry = entered;
        entered = undefined;
        if (signalEntry) {
          signalEntry();
          await untilAborted(params.abortSignal);
        }
        return doGenerate();
      },
    },
  });
  const hang = () => ({ inFlight: new Promise<void>((resolve) => (entered = resolve)) });
  return { gated, hang };
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    signal?.addEventListener("abort", () => resolve(), { once: true });
  });
}

plannerContract("in-process llama.cpp under a grammar", async () => {
  const { gated, hang } = gatedModel();
  return { planner: createLocalPlanner({ model: gated, maxOutputTokens: 400 }), hang };
});

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
