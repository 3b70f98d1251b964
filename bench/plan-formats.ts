/**
 * Planner tokens per plan format, over the bench:compare workload (34 plans): output tokens of
 * the same plan as a JSON plan, as compact lines and as native tool calls, and input tokens of
 * the system prompt with full JSON Schemas vs signatures. Counted with the approximate counter
 * every bench uses and, where the shared tiny model is present, with a real Llama-2 tokenizer.
 * Run: npm run bench:plan-formats
 */
import Database from "better-sqlite3";
import { approximateTokenCounter } from "../src/context/token-counter.js";
import { createLlamaModel } from "../src/models/llama/index.js";
import { renderCompactPlan } from "../src/plan/compact-plan.js";
import { parsePlan } from "../src/plan/parse-plan.js";
import type { PlanStep } from "../src/core/plan.js";
import type { PlanRequest } from "../src/plan/planner.js";
import { plannerSystemPrompt } from "../src/plan/planner-prompt.js";
import { toolSpec } from "../src/tools/tool.js";
import { sharedFile } from "../test/helpers/shared-dir.js";
import { createChinookTools } from "./compare/chinook-tools.js";
import { WORKLOAD } from "./compare/workload.js";

const tools = createChinookTools(new Database(":memory:")).map(toolSpec);
const plans: PlanStep[][] = WORKLOAD.map((q) => q.plan.map(({ after: _, ...s }) => s));

/** Tool calls as providers bill them: each call's name and JSON arguments, with a little framing. */
const asToolCalls = (steps: PlanStep[]) =>
  JSON.stringify(steps.map((s) => ({ name: s.tool, arguments: s.args })));
const asJson = (steps: PlanStep[]) => JSON.stringify({ steps });

// Every format must give back the same plan: measured sizes are of equivalent plans.
for (const steps of plans) {
  const compact = parsePlan({ kind: "text", text: renderCompactPlan(steps), format: "compact" });
  const json = parsePlan({ kind: "text", text: asJson(steps) });
  if (JSON.stringify(compact.plan?.steps) !== JSON.stringify(json.plan?.steps))
    throw new Error(`compact and JSON differ for ${JSON.stringify(steps)}`);
}

const counters: Array<[string, (text: string) => number]> = [
  ["approximate counter", (t) => approximateTokenCounter.count(t)],
];
const tinyModel = sharedFile("models", "llama-2-tiny-random.gguf");
let dispose = async () => {};
if (tinyModel) {
  const model = createLlamaModel({ modelPath: tinyModel, contextSize: 512 });
  counters.push(["Llama-2 tokenizer", await model.tokenizer()]);
  dispose = () => model.dispose();
}

const request: PlanRequest = { prompt: "", tools, date: "2026-11-29", maxSteps: 20 };
const sum = (f: (steps: PlanStep[]) => string, count: (t: string) => number) =>
  plans.reduce((n, steps) => n + count(f(steps)), 0);

console.log(`${plans.length} plans, ${plans.flat().length} steps (bench/compare/workload.ts)\n`);
for (const [name, count] of counters) {
  const json = sum(asJson, count);
  const compact = sum(renderCompactPlan, count);
  const calls = sum(asToolCalls, count);
  const schemas = count(plannerSystemPrompt(request, "json", { toolDetail: "schemas" }));
  const signatures = count(plannerSystemPrompt(request, "compact", { toolDetail: "signatures" }));
  const toolCallPrompt = count(plannerSystemPrompt(request, "tool-calls")) + count(JSON.stringify(tools));
  console.log(`${name}:`);
  console.log(
    `  output tokens, all plans: JSON ${json} | compact ${compact} (${(compact / json).toFixed(2)}x) | native tool calls ${calls} (${(calls / json).toFixed(2)}x)`,
  );
  console.log(
    `  system prompt (9 tools): JSON + schemas ${schemas} | compact + signatures ${signatures} (${(signatures / schemas).toFixed(2)}x) | tool calls + tools field ${toolCallPrompt}`,
  );
}
await dispose();
