import { afterAll, describe, expect, it } from "vitest";
import { testModelPath } from "../../test/helpers/gguf-writer.js";
import { sharedFile } from "../../test/helpers/shared-dir.js";
import { createLlamaModel } from "../models/llama/index.js";
import { approximateTokenCounter, tokenizerTokenCounter } from "./token-counter.js";
import { SAMPLES } from "./token-counter-samples.js";

describe("approximateTokenCounter", () => {
  it("counts roughly chars/4 for prose and more for dense text", () => {
    expect(approximateTokenCounter.count("")).toBe(0);
    const english = approximateTokenCounter.count(SAMPLES.english);
    expect(english).toBeGreaterThan(SAMPLES.english.length / 6);
    expect(english).toBeLessThan(SAMPLES.english.length / 3);
    expect(approximateTokenCounter.count("a b c")).toBe(3);
  });
});

describe("tokenizerTokenCounter (real llama tokenizer)", () => {
  const llama2 = sharedFile("models", "llama-2-tiny-random.gguf");
  const model = createLlamaModel({ modelPath: llama2 ?? testModelPath(), contextSize: 256 });
  afterAll(() => model.dispose());

  it("counts exactly with the model's tokenizer", async () => {
    const exact = await tokenizerTokenCounter(model);
    expect(exact.exact).toBe(true);
    for (const [name, text] of Object.entries(SAMPLES)) expect(exact.count(text), name).toBeGreaterThan(0);
  });

  // The 32k llama-2 vocabulary is the reference; the generated fixture's tiny vocabulary is not.
  it.skipIf(!llama2)(
    "stays within 25% of the approximation on English, JSON and tables (llama-2 vocabulary)",
    async () => {
      const exact = await tokenizerTokenCounter(model);
      for (const [name, text] of Object.entries(SAMPLES)) {
        const real = exact.count(text);
        expect(Math.abs(approximateTokenCounter.count(text) - real) / real, name).toBeLessThan(0.25);
      }
    },
  );
});
