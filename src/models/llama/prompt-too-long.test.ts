import { generateText } from "ai";
import { afterAll, describe, expect, it } from "vitest";
import { testModelPath } from "../../../test/helpers/gguf-writer.js";
import { isFlmError } from "../../errors/flm-error.js";
import { createLlamaModel } from "./index.js";

const model = createLlamaModel({ modelPath: testModelPath("tiny-random"), contextSize: 256 });
afterAll(() => model.dispose());

describe("a prompt longer than the in-process context", () => {
  it("fails with LOCAL_PROMPT_TOO_LONG naming both sizes when the instructions alone overflow", async () => {
    // A long user turn is shortened by llama.cpp's context shift; instructions cannot be.
    const system = "You plan tool calls over these tools: find_customer, list_invoices. ".repeat(80);
    const error = await generateText({
      model,
      system,
      prompt: "hi",
      maxRetries: 0,
      maxOutputTokens: 8,
    }).catch((e) => e);
    expect(isFlmError(error, "LOCAL_PROMPT_TOO_LONG")).toBe(true);
    expect(error.message).toMatch(/about \d+ tokens, but the local model's context holds 256/);
  }, 60_000);
});
