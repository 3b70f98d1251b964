/**
 * An in-process LanguageModelV3 that answers from a script with optional simulated latency:
 * for benchmarks that measure orchestration, not HTTP. (Tests use the HTTP fake server.)
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3StreamPart,
} from "@ai-sdk/provider";

export interface ScriptedModelOptions {
  /** The reply text for a call. */
  reply: (options: LanguageModelV3CallOptions) => string;
  /** Latency before the first token. */
  delayMs?: number;
  /** Latency per streamed word. */
  perChunkMs?: number;
  provider?: string;
  modelId?: string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  ms > 0
    ? new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, ms);
        signal?.addEventListener("abort", () => {
          clearTimeout(t);
          reject(signal.reason);
        });
      })
    : Promise.resolve();

export function scriptedModel(options: ScriptedModelOptions): LanguageModelV3 {
  const usage = (input: number, output: number) => ({
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  });
  const promptSize = (o: LanguageModelV3CallOptions) => Math.ceil(JSON.stringify(o.prompt).length / 4);
  return {
    specificationVersion: "v3",
    provider: options.provider ?? "scripted",
    modelId: options.modelId ?? "scripted-model",
    supportedUrls: {},
    async doGenerate(callOptions) {
      await sleep(options.delayMs ?? 0, callOptions.abortSignal);
      const text = options.reply(callOptions);
      return {
        content: [{ type: "text", text }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: usage(promptSize(callOptions), Math.ceil(text.length / 4)),
        warnings: [],
      };
    },
    async doStream(callOptions) {
      const text = options.reply(callOptions);
      const pieces = text.match(/\s*\S+/g) ?? [text];
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        async start(controller) {
          try {
            controller.enqueue({ type: "stream-start", warnings: [] });
            await sleep(options.delayMs ?? 0, callOptions.abortSignal);
            controller.enqueue({ type: "text-start", id: "t" });
            for (const delta of pieces) {
              await sleep(options.perChunkMs ?? 0, callOptions.abortSignal);
              controller.enqueue({ type: "text-delta", id: "t", delta });
            }
            controller.enqueue({ type: "text-end", id: "t" });
            controller.enqueue({
              type: "finish",
              finishReason: { unified: "stop", raw: "stop" },
              usage: usage(promptSize(callOptions), pieces.length),
            });
            controller.close();
          } catch (error) {
            controller.error(error);
          }
        },
      });
      return { stream };
    },
  };
}
