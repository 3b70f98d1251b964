import type { LanguageModelV3, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { type LanguageModel, streamText } from "ai";
import type { ChatTurn } from "../core/chat-turn.js";

export interface AnswerRequest {
  model: LanguageModel;
  system: string;
  /** Plain-text turns, the last one the user's (context and question). */
  messages: ChatTurn[];
  abortSignal: AbortSignal;
  onDelta: (text: string) => void;
}

export interface AnswerOutput {
  text: string;
  inputTokens: number;
  outputTokens: number;
  /** Of the input tokens, those the model read from its prompt cache (a prefill), where reported. */
  cachedInputTokens?: number;
}

/** Thrown when `abortSignal` fires mid-answer; the caller tells cancellation from timeout. */
export class AnswerAborted extends Error {
  constructor() {
    super("The answer was aborted.");
    this.name = "AnswerAborted";
  }
}

/**
 * Streams the local model's answer. A LanguageModelV3 (every AI SDK v6 provider, and ours) is
 * read through its own `doStream`: the answer is one plain-text turn with no tools, retries or
 * structured output, and `streamText`'s machinery around it cost 2–4 ms of CPU per run, the
 * largest share of the orchestration overhead under load (bench/gateway-load.ts). Anything else
 * (a v2 model, a model id string) goes through `streamText`, which adapts it.
 */
export async function streamAnswer(request: AnswerRequest): Promise<AnswerOutput> {
  return isV3(request.model) ? direct(request.model, request) : viaStreamText(request);
}

function isV3(model: LanguageModel): model is LanguageModelV3 {
  return typeof model === "object" && model.specificationVersion === "v3";
}

/** The answer request's prompt: the system message, then plain-text turns. */
export function toAnswerPrompt(system: string, messages: ChatTurn[]): LanguageModelV3Prompt {
  return [
    { role: "system", content: system },
    ...messages.map((m) => ({ role: m.role, content: [{ type: "text" as const, text: m.content }] })),
  ];
}

async function direct(model: LanguageModelV3, request: AnswerRequest): Promise<AnswerOutput> {
  const { abortSignal: signal } = request;
  const out: AnswerOutput = { text: "", inputTokens: 0, outputTokens: 0 };
  let reader: ReadableStreamDefaultReader<unknown> | undefined;
  let completed = false;
  // A provider that ignores the signal mid-stream is stopped by cancelling the reader.
  const onAbort = () => void reader?.cancel().catch(() => {});
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    if (signal.aborted) throw new AnswerAborted();
    const { stream } = await model.doStream({
      prompt: toAnswerPrompt(request.system, request.messages),
      abortSignal: signal,
    });
    const parts = stream.getReader();
    reader = parts;
    for (;;) {
      const { done, value } = await parts.read();
      if (signal.aborted) throw new AnswerAborted();
      if (done) {
        completed = true;
        break;
      }
      if (value.type === "text-delta") {
        out.text += value.delta;
        request.onDelta(value.delta);
      } else if (value.type === "error") {
        throw value.error;
      } else if (value.type === "finish") {
        out.inputTokens = value.usage.inputTokens.total ?? 0;
        out.outputTokens = value.usage.outputTokens.total ?? 0;
        if (value.usage.inputTokens.cacheRead) out.cachedInputTokens = value.usage.inputTokens.cacheRead;
      }
    }
    return out;
  } catch (error) {
    if (signal.aborted) throw new AnswerAborted();
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
    // On an error part or an exception, tell the provider to stop generating.
    if (!completed) onAbort();
  }
}

async function viaStreamText(request: AnswerRequest): Promise<AnswerOutput> {
  const out: AnswerOutput = { text: "", inputTokens: 0, outputTokens: 0 };
  const result = streamText({
    model: request.model,
    system: request.system,
    messages: request.messages,
    abortSignal: request.abortSignal,
    maxRetries: 0,
    // Errors arrive as stream parts; the SDK's default handler would also log them.
    onError: () => {},
  });
  for await (const part of result.fullStream) {
    if (part.type === "text-delta") {
      out.text += part.text;
      request.onDelta(part.text);
    } else if (part.type === "error") {
      throw part.error;
    } else if (part.type === "abort") {
      throw new AnswerAborted();
    } else if (part.type === "finish") {
      out.inputTokens = part.totalUsage.inputTokens ?? 0;
      out.outputTokens = part.totalUsage.outputTokens ?? 0;
    }
  }
  return out;
}
