import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { generateText, jsonSchema, Output, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testModelPath } from "../../../test/helpers/gguf-writer.js";
import { isFlmError } from "../../errors/flm-error.js";
import { createLlamaModel, type LlamaLanguageModel } from "./index.js";
import { loadedLlamaModelCount } from "./llama-runtime.js";

const user = (text: string): LanguageModelV3CallOptions["prompt"] => [
  { role: "user", content: [{ type: "text", text }] },
];

async function collect(
  stream: ReadableStream<LanguageModelV3StreamPart>,
): Promise<LanguageModelV3StreamPart[]> {
  const parts: LanguageModelV3StreamPart[] = [];
  for await (const part of stream as unknown as AsyncIterable<LanguageModelV3StreamPart>) parts.push(part);
  return parts;
}

describe("createLlamaModel (real llama.cpp runtime)", () => {
  let model: LlamaLanguageModel;
  beforeAll(() => {
    model = createLlamaModel({ modelPath: testModelPath(), contextSize: 512, sequences: 2 });
  });
  afterAll(async () => {
    await model.dispose();
  });

  it("reports the context window and counts tokens with the real tokenizer", async () => {
    expect(await model.contextWindow()).toBe(512);
    const n = await model.countTokens("the cat and the dog");
    expect(n).toBeGreaterThan(1);
    expect(n).toBeLessThan(20);
    expect(await model.countTokens("")).toBe(0);
  });

  it("generates with usage, a length finish reason and the v3 shapes", async () => {
    const result = await model.doGenerate({
      prompt: user("Tell me a story."),
      maxOutputTokens: 8,
      seed: 1,
      temperature: 0.8,
    });
    expect(result.finishReason).toEqual({ unified: "length", raw: "maxTokens" });
    expect(result.usage.outputTokens.total).toBe(8);
    expect(result.usage.inputTokens.total).toBeGreaterThan(3);
    expect(result.content[0]?.type).toBe("text");
  });

  it("streams stream-start, text parts and a finish through the AI SDK", async () => {
    const { stream } = await model.doStream({
      prompt: user("Once upon a time"),
      maxOutputTokens: 6,
      seed: 3,
    });
    const parts = await collect(stream);
    const types = parts.map((p) => p.type);
    expect(types[0]).toBe("stream-start");
    expect(types).toContain("text-delta");
    expect(types.indexOf("text-start")).toBeLessThan(types.indexOf("text-delta"));
    expect(types.at(-2)).toBe("text-end");
    const finish = parts.at(-1);
    expect(finish?.type === "finish" && finish.usage.outputTokens.total).toBe(6);

    const sdk = streamText({ model, prompt: "hello", maxOutputTokens: 5, seed: 4 });
    let text = "";
    for await (const delta of sdk.textStream) text += delta;
    expect(text).toBe(await sdk.text);
    expect((await sdk.usage).outputTokens).toBe(5);
  });

  it("honours stop sequences", async () => {
    // Generate once, then stop on a character the same seeded run produces.
    const first = await model.doGenerate({
      prompt: user("abc"),
      maxOutputTokens: 12,
      seed: 7,
      temperature: 0,
    });
    const text = first.content.find((c) => c.type === "text")?.text ?? "";
    const stopChar = [...text.slice(2)].find((c) => c.trim() && /[a-z]/i.test(c));
    if (!stopChar) return expect(text.length).toBeGreaterThan(0);
    const stopped = await model.doGenerate({
      prompt: user("abc"),
      maxOutputTokens: 12,
      seed: 7,
      temperature: 0,
      stopSequences: [stopChar],
    });
    expect(stopped.finishReason.unified).toBe("stop");
    expect((stopped.content.find((c) => c.type === "text")?.text ?? "").includes(stopChar)).toBe(false);
  });

  it("aborts mid-generation promptly", async () => {
    const controller = new AbortController();
    const reason = new Error("caller left");
    const { stream } = await model.doStream({
      prompt: user("go"),
      maxOutputTokens: 400,
      abortSignal: controller.signal,
    });
    const reader = stream.getReader();
    let deltas = 0;
    const started = Date.now();
    let error: unknown;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value.type === "text-delta" && ++deltas === 3) controller.abort(reason);
      }
    } catch (e) {
      error = e;
    }
    // The stream errors with the caller's abort reason, as AI SDK models do.
    expect(error).toBe(reason);
    expect(deltas).toBeLessThan(50);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The sequence is free again afterwards.
    const after = await model.doGenerate({ prompt: user("next"), maxOutputTokens: 2 });
    expect(after.usage.outputTokens.total).toBe(2);
  });

  it("a consumer cancelling the stream mid-generation stops it cleanly (no stray rejection)", async () => {
    const stray: unknown[] = [];
    const onStray = (reason: unknown) => stray.push(reason);
    process.on("unhandledRejection", onStray);
    try {
      // The answer stage aborts the signal and cancels the reader together; here only the reader.
      const { stream } = await model.doStream({ prompt: user("go"), maxOutputTokens: 400 });
      const reader = stream.getReader();
      let deltas = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value.type === "text-delta" && ++deltas === 3) {
          await reader.cancel();
          break;
        }
      }
      // Both sequences are free again soon: the cancelled generation stopped.
      const started = Date.now();
      const after = await Promise.all([
        model.doGenerate({ prompt: user("a"), maxOutputTokens: 2 }),
        model.doGenerate({ prompt: user("b"), maxOutputTokens: 2 }),
      ]);
      expect(after.map((r) => r.usage.outputTokens.total)).toEqual([2, 2]);
      expect(Date.now() - started).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stray).toEqual([]);
    } finally {
      process.off("unhandledRejection", onStray);
    }
  });

  it("rejects an already-aborted request without generating", async () => {
    const reason = new Error("already cancelled");
    await expect(
      model.doGenerate({ prompt: user("x"), abortSignal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    await expect(
      model.doGenerate({ prompt: user("x"), abortSignal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      name: "AbortError",
    });
  });

  it("constrains JSON output to the schema with a grammar (several seeds)", async () => {
    const schema = {
      type: "object",
      properties: {
        answer: { type: "string", maxLength: 12 },
        steps: {
          type: "array",
          items: {
            type: "object",
            properties: { id: { type: "integer" }, tool: { enum: ["sql", "http"] } },
            required: ["id", "tool"],
          },
          maxItems: 2,
        },
        done: { type: "boolean" },
        note: { type: ["string", "null"], maxLength: 5 },
      },
      required: ["answer", "steps", "done", "note"],
      additionalProperties: false,
    } as const;
    for (const seed of [1, 2, 3]) {
      const result = await model.doGenerate({
        prompt: user("plan"),
        responseFormat: { type: "json", schema: schema as never },
        maxOutputTokens: 200,
        seed,
        temperature: 1,
      });
      const text = result.content.find((c) => c.type === "text")?.text ?? "";
      const value = JSON.parse(text);
      expect(typeof value.answer).toBe("string");
      expect(value.answer.length).toBeLessThanOrEqual(12);
      expect(Array.isArray(value.steps)).toBe(true);
      for (const step of value.steps) expect(["sql", "http"]).toContain(step.tool);
      expect(typeof value.done).toBe("boolean");
    }
  });

  it("works with generateText + Output.object", async () => {
    const { output } = await generateText({
      model,
      prompt: "status?",
      seed: 5,
      output: Output.object({
        schema: jsonSchema<{ ok: boolean; level: "low" | "high" }>({
          type: "object",
          properties: { ok: { type: "boolean" }, level: { type: "string", enum: ["low", "high"] } },
          required: ["ok", "level"],
        }),
      }),
    });
    expect(typeof output.ok).toBe("boolean");
    expect(["low", "high"]).toContain(output.level);
  });

  it("forces a tool call with toolChoice and returns it unexecuted", async () => {
    let executed = false;
    const result = await generateText({
      model,
      prompt: "weather in Paris",
      seed: 2,
      toolChoice: { type: "tool", toolName: "weather" },
      tools: {
        weather: tool({
          description: "current weather",
          inputSchema: jsonSchema<{ city: string }>({
            type: "object",
            properties: { city: { type: "string", maxLength: 10 } },
            required: ["city"],
          }),
          execute: async () => {
            executed = true;
            return "sunny";
          },
        }),
      },
    });
    const call = result.steps[0]?.toolCalls[0];
    expect(call?.toolName).toBe("weather");
    expect(typeof (call?.input as { city?: string } | undefined)?.city).toBe("string");
    expect(result.steps[0]?.finishReason).toBe("tool-calls");
    expect(executed).toBe(true); // the SDK ran it, not the model
  });

  it("accepts tools with toolChoice auto and a multi-turn prompt with tool results", async () => {
    // The tool-calling chat template alone is hundreds of tokens, more with the small vocabulary of
    // the generated model (no ../shared): give this call the model's whole trained context.
    const wide = createLlamaModel({ modelPath: testModelPath(), contextSize: 2048 });
    const result = await wide.doGenerate({
      maxOutputTokens: 8,
      seed: 1,
      tools: [
        {
          type: "function",
          name: "lookup",
          description: "look up",
          inputSchema: { type: "object", properties: { q: { type: "string" } } },
        },
      ],
      prompt: [
        { role: "system", content: "You are helpful." },
        { role: "user", content: [{ type: "text", text: "find x" }] },
        {
          role: "assistant",
          content: [{ type: "tool-call", toolCallId: "c1", toolName: "lookup", input: { q: "x" } }],
        },
        {
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: "c1",
              toolName: "lookup",
              output: { type: "json", value: { x: 1 } },
            },
          ],
        },
      ],
    });
    await wide.dispose();
    expect(["length", "stop", "tool-calls"]).toContain(result.finishReason.unified);
    expect(result.usage.inputTokens.total).toBeGreaterThan(5);
  });

  it("serves concurrent requests (more than sequences) without interleaving", async () => {
    const prompts = ["one", "two", "three", "four", "five"];
    const single = await Promise.all(
      prompts
        .slice(0, 1)
        .map((p) => model.doGenerate({ prompt: user(p), maxOutputTokens: 6, seed: 11, temperature: 0 })),
    );
    const results = await Promise.all(
      prompts.map((p) => model.doGenerate({ prompt: user(p), maxOutputTokens: 6, seed: 11, temperature: 0 })),
    );
    for (const r of results) expect(r.usage.outputTokens.total).toBe(6);
    // Same prompt, greedy: the concurrent run gives the same text as the lone run.
    const text = (r: (typeof results)[number]) => r.content.find((c) => c.type === "text")?.text;
    expect(text(results[0])).toBe(text(single[0]));
  });

  it("shares a loaded model across instances and unloads after the last dispose", async () => {
    const before = loadedLlamaModelCount();
    const other = createLlamaModel({ modelPath: testModelPath(), contextSize: 256 });
    expect(await other.countTokens("hello")).toBeGreaterThan(0);
    expect(loadedLlamaModelCount()).toBe(before);
    await other.dispose();
    expect(await model.countTokens("still loaded")).toBeGreaterThan(0);
    await expect(other.doGenerate({ prompt: user("x") })).rejects.toSatisfy((e) =>
      isFlmError(e, "LLAMA_MODEL_DISPOSED"),
    );
  });

  it("gives a typed error for a missing model file", async () => {
    const missing = createLlamaModel({ modelPath: "/nonexistent/model.gguf" });
    await expect(missing.countTokens("x")).rejects.toSatisfy((e) => isFlmError(e, "LLAMA_MODEL_LOAD_FAILED"));
  });
});
