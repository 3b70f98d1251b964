/**
 * Orchestration overhead and latency hiding of the federated pipeline.
 *  1. Zero-latency in-process models and tools: time per request spent in our code (parse,
 *     validation, scheduling, context, answer plumbing) for plans of 1, 10 and 100 steps.
 *  2. Simulated latencies (planner 400 ms, five independent 100 ms tools, generator 300 ms):
 *     end-to-end time against the critical path, and against running the tools one by one.
 * Run: npm run bench:orchestration
 */
import { z } from "zod";
import { createAgent } from "../src/agent/create-agent.js";
import { buildContext } from "../src/context/build-context.js";
import { approximateTokenCounter } from "../src/context/token-counter.js";
import { executePlan } from "../src/execute/scheduler.js";
import { parsePlan } from "../src/plan/parse-plan.js";
import { validatePlan } from "../src/plan/validate-plan.js";
import { defineTool } from "../src/tools/define-tool.js";
import { scriptedModel } from "../test/helpers/scripted-model.js";

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function planOf(n: number, dependent: boolean) {
  return JSON.stringify({
    steps: Array.from({ length: n }, (_, i) => ({
      id: `s${i + 1}`,
      tool: "lookup",
      args:
        dependent && i > 0 && i % 2 === 1
          ? { key: "k", prev: { $ref: `s${i}`, path: "rows[0].id" } }
          : { key: `k${i}` },
    })),
  });
}

const lookup = (latencyMs = 0) =>
  defineTool({
    name: "lookup",
    description: "Looks something up",
    input: z.object({ key: z.string(), prev: z.number().optional() }),
    run: async ({ key }) => {
      if (latencyMs) await sleep(latencyMs);
      return { rows: [{ id: 1, key, name: "Ana Lima", city: "Lisbon", total: 12.5 }] };
    },
  });

/** Our code only: parse, validate, schedule (zero-latency tools), lay out the context. */
async function pipelineOverhead(steps: number, iterations: number) {
  const planText = planOf(steps, true);
  const tools = new Map([["lookup", lookup()]]);
  const times: number[] = [];
  for (let i = 0; i < iterations + 50; i++) {
    const t0 = performance.now();
    const { plan } = parsePlan({ kind: "text", text: planText });
    const issues = validatePlan(plan!, tools, { maxSteps: 200 });
    if (issues.length) throw new Error(issues[0].message);
    const outcomes = await executePlan(plan!, { tools, concurrency: 16 });
    buildContext(
      outcomes,
      { contextWindow: 128_000, answerReserve: 1024, fixedTokens: 100 },
      approximateTokenCounter,
    );
    if (i >= 50) times.push(performance.now() - t0);
  }
  return { steps, p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** A whole agent.run with in-process zero-latency models: adds the AI SDK's call plumbing. */
async function overhead(steps: number, iterations: number) {
  const planText = planOf(steps, true);
  const agent = createAgent({
    planner: scriptedModel({ reply: () => planText }),
    generator: scriptedModel({ reply: () => "Ana Lima lives in Lisbon [s1]." }),
    tools: [lookup()],
    limits: { maxSteps: 200, concurrency: 16 },
    contextWindow: 128_000,
  });
  const times: number[] = [];
  for (let i = 0; i < iterations + 20; i++) {
    const t0 = performance.now();
    await agent.run("Where does Ana live?");
    if (i >= 20) times.push(performance.now() - t0); // first runs warm the JIT
  }
  return { steps, p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function latencyHiding() {
  const plan = JSON.stringify({
    steps: Array.from({ length: 5 }, (_, i) => ({ id: `s${i + 1}`, tool: "lookup", args: { key: `k${i}` } })),
  });
  const make = (concurrency: number) =>
    createAgent({
      planner: scriptedModel({ reply: () => plan, delayMs: 400 }),
      generator: scriptedModel({ reply: () => "Done [s1].", delayMs: 300 }),
      tools: [lookup(100)],
      limits: { concurrency },
    });
  const measure = async (concurrency: number) => {
    const agent = make(concurrency);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await agent.run("q");
      times.push(performance.now() - t0);
    }
    return percentile(times, 50);
  };
  return { parallel: await measure(8), sequential: await measure(1) };
}

const sizes = [
  [1, 1000],
  [10, 500],
  [100, 100],
] as const;
console.log("Orchestration overhead per request, zero-latency tools (target: p50 < 1 ms for 10 steps)");
console.log("steps | pipeline p50 ms | pipeline p99 ms | full agent.run p50 ms | full agent.run p99 ms");
for (const [steps, iterations] of sizes) {
  const pipe = await pipelineOverhead(steps, iterations);
  const full = await overhead(steps, Math.ceil(iterations / 4));
  console.log(
    `${String(steps).padStart(5)} | ${pipe.p50.toFixed(3).padStart(15)} | ${pipe.p99.toFixed(3).padStart(15)} | ${full.p50.toFixed(3).padStart(21)} | ${full.p99.toFixed(3).padStart(21)}`,
  );
}
console.log(
  "(pipeline = parse + validate + schedule + context; full = the same plus two in-process model calls through the AI SDK)",
);

const { parallel, sequential } = await latencyHiding();
const critical = 400 + 100 + 300;
console.log("\nSimulated latencies: planner 400 ms, 5 independent tools x 100 ms, generator 300 ms");
console.log(`critical path           : ${critical} ms`);
console.log(
  `federated-lm (parallel) : ${parallel.toFixed(1)} ms  (${(((parallel - critical) / critical) * 100).toFixed(1)}% over the critical path)`,
);
console.log(
  `tools one after another : ${sequential.toFixed(1)} ms  (as the original proof of concept ran them)`,
);
