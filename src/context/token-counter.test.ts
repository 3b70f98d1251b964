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
  const model = createLlamaModel({
    modelPath: sharedFile("models", "llama-2-tiny-random.gguf") ?? testModelPath(),
    contextSize: 256,
  });
  afterAll(() => model.dispose());

  it("counts exactly and stays within 25% of the approximation on English, JSON and tables", async () => {
    const exact = await tokenizerTokenCounter(model);
    expect(exact.exact).toBe(true);
    for (const [name, text] of Object.entries(SAMPLES)) {
      const real = exact.count(text);
      const approx = approximateTokenCounter.count(text);
      expect(real, name).toBeGreaterThan(0);
      // The 32k llama-2 vocabulary is the reference; the generated fixture's tiny vocabulary is not.
      if (sharedFile("models", "llama-2-tiny-random.gguf"))
        expect(Math.abs(approx - real) / real, name).toBeLessThan(0.25);
    }
  });
});
