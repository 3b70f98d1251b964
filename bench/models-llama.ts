/**
 * In-process model benchmark: load time (cold vs cached), time to first token and tokens/s on
 * the shared tiny models (or the generated fixture). Run: npx tsx bench/models-llama.ts
 */
import { sharedFile } from "../test/helpers/shared-dir.js";
import { generatedTestModelPath } from "../test/helpers/gguf-writer.js";
import { createLlamaModel } from "../src/models/llama/index.js";
import { acquireLlamaModel, getLlamaRuntime } from "../src/models/llama/llama-runtime.js";

const models: Array<[string, string]> = [
  ["llama-2-tiny-random", sharedFile("models", "llama-2-tiny-random.gguf") ?? ""],
  ["stories260K", sharedFile("models", "stories260K.gguf") ?? ""],
  ["generated-tiny", generatedTestModelPath()],
].filter(([, p]) => p) as Array<[string, string]>;

const TOKENS = 128;
let t = performance.now();
await getLlamaRuntime(false);
console.log(`runtime init: ${(performance.now() - t).toFixed(0)} ms`);

for (const [name, path] of models) {
  t = performance.now();
  const cold = await acquireLlamaModel(path);
  const coldMs = performance.now() - t;
  t = performance.now();
  const cached = await acquireLlamaModel(path);
  const cachedMs = performance.now() - t;
  await cached.release();

  // Threads to compare, e.g. FLM_BENCH_THREADS=1,2 (0 = all cores; very slow for tiny models on a busy machine).
  for (const threads of (process.env.FLM_BENCH_THREADS ?? "1").split(",").map(Number)) {
    const model = createLlamaModel({ modelPath: path, contextSize: 512, threads });
    await model.contextWindow();
    const ttfts: number[] = [];
    const rates: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      let first = 0;
      let out = 0;
      const { stream } = await model.doStream({
        prompt: [{ role: "user", content: [{ type: "text", text: "Once upon a time there was" }] }],
        maxOutputTokens: TOKENS,
        seed: run,
      });
      for await (const part of stream as unknown as AsyncIterable<{
        type: string;
        usage?: { outputTokens: { total?: number } };
      }>) {
        if (part.type === "text-delta" && !first) first = performance.now() - started;
        if (part.type === "finish") out = part.usage?.outputTokens.total ?? 0;
      }
      const total = performance.now() - started;
      ttfts.push(first);
      rates.push(out / ((total - first) / 1000));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `${name.padEnd(20)} threads=${String(threads || "all").padEnd(4)} load cold ${coldMs.toFixed(0)} ms, cached ${cachedMs.toFixed(2)} ms | TTFT ${median(ttfts).toFixed(0)} ms | ${median(rates).toFixed(0)} tok/s (${TOKENS} tokens, median of 3)`,
    );
    await model.dispose();
  }
  await cold.release();
}
