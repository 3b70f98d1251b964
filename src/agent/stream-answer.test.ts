import type { LanguageModelV2, LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { AnswerAborted, streamAnswer } from "./stream-answer.js";

const usage = {
  inputTokens: { total: 42, noCache: 42, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 3, text: 3, reasoning: 0 },
};

/** A v3 model whose stream is driven by `parts`; records the call and whether the stream was cancelled. */
function v3(parts: unknown[], opts: { hang?: boolean } = {}) {
  const seen: { calls: LanguageModelV3CallOptions[]; cancelled: boolean } = { calls: [], cancelled: false };
  const model: LanguageModelV3 = {
    specificationVersion: "v3",
    provider: "test",
    modelId: "answer",
    supportedUrls: {},
    doGenerate: () => Promise.reject(new Error("not used")),
    async doStream(options) {
      seen.calls.push(options);
      return {
        stream: new ReadableStream({
          start(c) {
            for (const p of parts) c.enqueue(p as never);
            if (!opts.hang) c.close();
          },
          cancel() {
            seen.cancelled = true;
          },
        }),
      };
    },
  };
  return { model, seen };
}

const request = (model: LanguageModelV3 | LanguageModelV2, signal = new AbortController().signal) => {
  const deltas: string[] = [];
  return {
    deltas,
    run: () =>
      streamAnswer({
        model,
        system: "Answer from the context.",
        messages: [
          { role: "user", content: "earlier question" },
          { role: "assistant", content: "earlier answer" },
          { role: "user", content: "Context: …\n\nQuestion: who?" },
        ],
        abortSignal: signal,
        onDelta: (d) => deltas.push(d),
      }),
  };
};

describe("streamAnswer", () => {
  it("reads a v3 model's own stream: deltas in order, usage, and the prompt as v3 messages", async () => {
    const { model, seen } = v3([
      { type: "stream-start", warnings: [] },
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", delta: "Hannah " },
      { type: "text-delta", id: "t", delta: "[s1]." },
      { type: "text-end", id: "t" },
      { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage },
    ]);
    const r = request(model);
    const out = await r.run();
    expect(out).toEqual({ text: "Hannah [s1].", inputTokens: 42, outputTokens: 3 });
    expect(r.deltas).toEqual(["Hannah ", "[s1]."]);
    expect(seen.calls[0].prompt).toEqual([
      { role: "system", content: "Answer from the context." },
      { role: "user", content: [{ type: "text", text: "earlier question" }] },
      { role: "assistant", content: [{ type: "text", text: "earlier answer" }] },
      { role: "user", content: [{ type: "text", text: "Context: …\n\nQuestion: who?" }] },
    ]);
    expect(seen.calls[0].abortSignal).toBeInstanceOf(AbortSignal);
  });

  it("throws a provider's error part and cancels the stream", async () => {
    const boom = new Error("model crashed");
    const { model, seen } = v3(
      [
        { type: "text-delta", id: "t", delta: "par" },
        { type: "error", error: boom },
      ],
      { hang: true },
    );
    const r = request(model);
    await expect(r.run()).rejects.toBe(boom);
    expect(r.deltas).toEqual(["par"]);
    expect(seen.cancelled).toBe(true);
  });

  it("stops a stream that ignores the signal: AnswerAborted, and the stream is cancelled", async () => {
    const { model, seen } = v3([{ type: "text-delta", id: "t", delta: "once upon" }], { hang: true });
    const controller = new AbortController();
    const r = request(model, controller.signal);
    const running = r.run();
    setTimeout(() => controller.abort(new Error("user left")), 20);
    await expect(running).rejects.toBeInstanceOf(AnswerAborted);
    expect(seen.cancelled).toBe(true);
    expect(r.deltas).toEqual(["once upon"]);
  });

  it("does not call the model when the signal is already aborted", async () => {
    const { model, seen } = v3([]);
    const controller = new AbortController();
    controller.abort();
    await expect(request(model, controller.signal).run()).rejects.toBeInstanceOf(AnswerAborted);
    expect(seen.calls).toHaveLength(0);
  });

  it("sends other model kinds (a v2 model) through streamText", async () => {
    let prompt: unknown;
    const model: LanguageModelV2 = {
      specificationVersion: "v2",
      provider: "test",
      modelId: "old",
      supportedUrls: {},
      doGenerate: () => Promise.reject(new Error("not used")),
      async doStream(options) {
        prompt = options.prompt;
        return {
          stream: new ReadableStream({
            start(c) {
              c.enqueue({ type: "stream-start", warnings: [] });
              c.enqueue({ type: "text-start", id: "t" });
              c.enqueue({ type: "text-delta", id: "t", delta: "v2 says hi" });
              c.enqueue({ type: "text-end", id: "t" });
              c.enqueue({
                type: "finish",
                finishReason: "stop",
                usage: { inputTokens: 7, outputTokens: 4, totalTokens: 11 },
              });
              c.close();
            },
          }),
        };
      },
    };
    const r = request(model);
    const out = await r.run();
    expect(out).toEqual({ text: "v2 says hi", inputTokens: 7, outputTokens: 4 });
    expect(r.deltas).toEqual(["v2 says hi"]);
    expect(JSON.stringify(prompt)).toContain("Question: who?");
  });
});
