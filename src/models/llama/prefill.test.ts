import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { afterAll, describe, expect, it } from "vitest";
import { testModelPath } from "../../../test/helpers/gguf-writer.js";
import { createLlamaModel, type LlamaLanguageModel } from "./index.js";

const SYSTEM = "Answer from the lookup results only, and cite them like [s1].";
const RESULTS = [
  '[s1] find_customer(city="Prague")\nId | Name\n5 | Helena',
  "[s2] list_invoices(ids=[5])\nId | Total\n404 | 25.86",
];
const prompt = (question: string, results: string[], done = false): LanguageModelV3Prompt => [
  { role: "system", content: SYSTEM },
  {
    role: "user",
    content: [
      {
        type: "text",
        text: `Question: ${question}\n\nResults:\n${results.join("\n\n")}${done ? "\n\nAnswer now." : ""}`,
      },
    ],
  },
];
const evaluated = async (model: LlamaLanguageModel) => {
  const t = await model.evaluatedTokens();
  return t.input + t.output;
};

/**
 * Prompt tokens the request read itself: the meters' delta minus the tokens it generated. The
 * meters count the last prompt token (sampled from) as output, so a whole prompt reads total - 1.
 */
async function answer(model: LlamaLanguageModel, question: string) {
  const before = await evaluated(model);
  const result = await model.doGenerate({
    prompt: prompt(question, RESULTS, true),
    maxOutputTokens: 4,
    seed: 1,
  });
  const read = (await evaluated(model)) - before - (result.usage.outputTokens.total ?? 0);
  return { read, usage: result.usage.inputTokens };
}

describe("in-process prefill (real llama.cpp runtime)", () => {
  const models: LlamaLanguageModel[] = [];
  const open = (sequences = 1, contextSize = 512) => {
    const m = createLlamaModel({ modelPath: testModelPath(), contextSize, sequences });
    models.push(m);
    return m;
  };
  afterAll(async () => {
    await Promise.all(models.map((m) => m.dispose()));
  });

  it("reads the prompt ahead, so the answer request evaluates only the tail; usage says so", async () => {
    const cold = open();
    const c = await answer(cold, "Who lives in Prague?");
    expect(c.read).toBe((c.usage.total ?? 0) - 1); // the whole prompt
    expect(c.usage.cacheRead).toBe(0);

    const warm = open();
    const first = await warm.prefill(prompt("Who lives in Prague?", []));
    expect(first).toMatchObject({ reusedTokens: 0 });
    expect(first.evaluatedTokens).toBeGreaterThan(10);
    const second = await warm.prefill(prompt("Who lives in Prague?", RESULTS.slice(0, 1)));
    // Appending a result reuses what was read: only the new text is evaluated.
    expect(second.reusedTokens).toBeGreaterThanOrEqual(first.evaluatedTokens - 2);
    await warm.prefill(prompt("Who lives in Prague?", RESULTS));
    const w = await answer(warm, "Who lives in Prague?");
    expect(w.usage.total).toBe(c.usage.total);
    expect(w.read).toBeLessThan((c.usage.total ?? 0) / 4);
    expect(w.usage.noCache).toBe(w.read + 1);
    expect(w.usage.cacheRead).toBe((w.usage.total ?? 0) - w.usage.noCache!);
  }, 60_000);

  it("gives the same answer with or without prefill (greedy)", async () => {
    const a = open();
    const b = open();
    await b.prefill(prompt("Who lives in Prague?", RESULTS));
    const req = {
      prompt: prompt("Who lives in Prague?", RESULTS, true),
      maxOutputTokens: 8,
      temperature: 0,
      seed: 3,
    };
    const text = (r: Awaited<ReturnType<LlamaLanguageModel["doGenerate"]>>) =>
      r.content.find((p) => p.type === "text")?.text;
    expect(text(await b.doGenerate(req))).toBe(text(await a.doGenerate(req)));
  }, 60_000);

  it("keeps each question's prefill on its own sequence, and sends each answer back to it", async () => {
    const model = open(2);
    for (const q of ["Who lives in Prague?", "What did customer 5 pay?"])
      for (let n = 0; n <= RESULTS.length; n++) await model.prefill(prompt(q, RESULTS.slice(0, n)));
    for (const q of ["Who lives in Prague?", "What did customer 5 pay?"]) {
      const { read, usage } = await answer(model, q);
      expect(read, q).toBeLessThan((usage.total ?? 0) / 4);
    }
  }, 60_000);

  it("skips when every sequence is busy or the prompt would not leave room to answer", async () => {
    const model = open(1, 256);
    // Hold the only sequence with a generation in flight: once its first text arrives it owns the
    // sequence until it ends, and it has far more tokens left than the prefill needs ticks.
    const { stream } = await model.doStream({
      prompt: prompt("Long?", RESULTS, true),
      maxOutputTokens: 120,
      seed: 1,
    });
    const reader = stream.getReader();
    for (;;) {
      const part = await reader.read();
      if (part.done) throw new Error("the generation ended before producing any text");
      if (part.value.type === "text-delta") break;
    }
    const busy = await model.prefill(prompt("Another?", []));
    await reader.cancel();
    expect(busy).toEqual({ reusedTokens: 0, evaluatedTokens: 0, skipped: "busy" });
    const long = await model.prefill(prompt("x", ["word ".repeat(400)]));
    expect(long.skipped).toBe("too-long");
    const aborted = new AbortController();
    aborted.abort(new Error("stop"));
    await expect(model.prefill(prompt("x", []), { signal: aborted.signal })).rejects.toThrow("stop");
  }, 60_000);
});
