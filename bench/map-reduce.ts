/**
 * Map-reduce overhead: the same question answered (a) directly when the results fit the local
 * window and (b) through map-reduce when they do not, with a local model simulated at a given
 * prefill and decode speed. Prints calls, local tokens and wall time.
 * Run: npm run bench:map-reduce
 */
import { z } from "zod";
import { createAgent } from "../src/agent/create-agent.js";
import { approximateTokenCounter } from "../src/context/token-counter.js";
import { defineTool } from "../src/tools/define-tool.js";
import { scriptedModel } from "../test/helpers/scripted-model.js";

const PREFILL_TPS = 800; // local prompt processing, tokens/s
const DECODE_MS_PER_WORD = 25; // ~40 tokens/s

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: i,
    name: `Customer ${i}`,
    city: i % 50 === 7 ? "Lisbon" : "Berlin",
    total: i % 97,
  }));

async function measure(rowCount: number, contextWindow: number, parallel: number) {
  let calls = 0;
  const local = scriptedModel({
    reply: (o) => {
      calls++;
      const text = JSON.stringify(o.prompt);
      return text.includes("Lookup results (part")
        ? JSON.stringify({ facts: [{ step: "s1", fact: "Customer 7 lives in Lisbon" }] })
        : "Customer 7 lives in Lisbon [s1].";
    },
    // Simulated prefill grows with the prompt; decode with the words streamed.
    delayMs: 0,
    perChunkMs: DECODE_MS_PER_WORD,
  });
  const prefill: typeof local = {
    ...local,
    doGenerate: async (o) => {
      await new Promise((r) =>
        setTimeout(r, (approximateTokenCounter.count(JSON.stringify(o.prompt)) / PREFILL_TPS) * 1000),
      );
      return local.doGenerate(o);
    },
    doStream: async (o) => {
      await new Promise((r) =>
        setTimeout(r, (approximateTokenCounter.count(JSON.stringify(o.prompt)) / PREFILL_TPS) * 1000),
      );
      return local.doStream(o);
    },
  };
  const plan = JSON.stringify({ steps: [{ id: "s1", tool: "customers", args: {} }] });
  const agent = createAgent({
    planner: scriptedModel({ reply: () => plan }),
    generator: prefill,
    tools: [
      defineTool({
        name: "customers",
        description: "all customers",
        input: z.object({}),
        run: async () => ({ rows: rows(rowCount) }),
      }),
    ],
    contextWindow,
    answerReserve: 256,
    mapReduce: { parallel },
    limits: { maxResultChars: 10_000_000 },
  });
  const t0 = performance.now();
  const result = await agent.run("Who lives in Lisbon?");
  return {
    ms: performance.now() - t0,
    calls,
    local: result.trace.usage.local,
    strategy: result.trace.context?.strategy,
    chunks: result.trace.context?.chunks ?? 0,
  };
}

console.log("rows | window | strategy   | parallel | chunks | local calls | local tokens in/out | wall ms");
for (const [rowCount, window, parallel] of [
  [40, 4096, 1],
  [400, 4096, 1],
  [400, 4096, 4],
  [400, 32768, 1],
] as const) {
  const r = await measure(rowCount, window, parallel);
  console.log(
    `${String(rowCount).padStart(4)} | ${String(window).padStart(6)} | ${String(r.strategy).padEnd(10)} | ${String(parallel).padStart(8)} | ${String(r.chunks).padStart(6)} | ${String(r.calls).padStart(11)} | ${`${r.local.inputTokens}/${r.local.outputTokens}`.padStart(19)} | ${r.ms.toFixed(0).padStart(7)}`,
  );
}
console.log(
  `(simulated local model: prefill ${PREFILL_TPS} tokens/s, decode ${1000 / DECODE_MS_PER_WORD} words/s)`,
);
