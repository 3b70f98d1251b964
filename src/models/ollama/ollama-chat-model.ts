/**
 * An AI SDK v6 `LanguageModelV3` over Ollama's native `/api/chat`, hand-written because the
 * maintained provider packages target other SDK versions, and because every request must carry
 * `options.num_ctx` (Ollama otherwise silently truncates to its 2-4k default) and `keep_alive`
 * (so the model stays loaded between the pipeline's calls).
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3FunctionTool,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
  SharedV3Warning,
} from "@ai-sdk/provider";
import { OllamaRequestError } from "./errors.js";

export interface OllamaModelOptions {
  /** Default http://127.0.0.1:11434 (with or without a trailing /api). */
  baseURL?: string;
  /** Ollama model name, e.g. "llama3.2:3b". */
  model: string;
  /** Declared context window, sent as `options.num_ctx` on every request. Default 8192. */
  contextWindow?: number;
  /** How long Ollama keeps the model loaded after a request. Default "30m". */
  keepAlive?: string | number;
  /** Extra Ollama runtime options merged into `options` (e.g. num_thread). */
  options?: Record<string, unknown>;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

export interface OllamaLanguageModel extends LanguageModelV3 {
  contextWindow(): Promise<number>;
}

export function normalizeOllamaBaseURL(baseURL = "http://127.0.0.1:11434"): string {
  return baseURL.replace(/\/+$/, "").replace(/\/api$/, "");
}

export function createOllamaModel(settings: OllamaModelOptions): OllamaLanguageModel {
  return new OllamaChatModel(settings);
}

interface OllamaMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  images?: string[];
  tool_calls?: Array<{ function: { name: string; arguments: Record<string, unknown> } }>;
  tool_name?: string;
}

interface OllamaChunk {
  message?: {
    content?: string;
    thinking?: string;
    tool_calls?: Array<{ function: { name: string; arguments: unknown } }>;
  };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
  model?: string;
}

let callCounter = 0;

class OllamaChatModel implements OllamaLanguageModel {
  readonly specificationVersion = "v3" as const;
  readonly provider = "flm.ollama";
  readonly modelId: string;
  readonly supportedUrls: Record<string, RegExp[]> = {};
  private readonly baseURL: string;

  constructor(private readonly settings: OllamaModelOptions) {
    this.modelId = settings.model;
    this.baseURL = normalizeOllamaBaseURL(settings.baseURL);
  }

  async contextWindow(): Promise<number> {
    return this.settings.contextWindow ?? 8192;
  }

  private buildBody(
    options: LanguageModelV3CallOptions,
    stream: boolean,
  ): { body: Record<string, unknown>; warnings: SharedV3Warning[] } {
    const warnings: SharedV3Warning[] = [];
    const runtime: Record<string, unknown> = {
      ...this.settings.options,
      num_ctx: this.settings.contextWindow ?? 8192,
    };
    if (options.temperature !== undefined) runtime.temperature = options.temperature;
    if (options.topP !== undefined) runtime.top_p = options.topP;
    if (options.topK !== undefined) runtime.top_k = options.topK;
    if (options.seed !== undefined) runtime.seed = options.seed;
    if (options.maxOutputTokens !== undefined) runtime.num_predict = options.maxOutputTokens;
    if (options.stopSequences?.length) runtime.stop = options.stopSequences;
    if (options.presencePenalty !== undefined) runtime.presence_penalty = options.presencePenalty;
    if (options.frequencyPenalty !== undefined) runtime.frequency_penalty = options.frequencyPenalty;

    const body: Record<string, unknown> = {
      model: this.settings.model,
      messages: toOllamaMessages(options.prompt, warnings),
      stream,
      keep_alive: this.settings.keepAlive ?? "30m",
      options: runtime,
    };
    const choice = options.toolChoice ?? { type: "auto" };
    let tools = (options.tools ?? []).filter((t): t is LanguageModelV3FunctionTool => t.type === "function");
    if (tools.length < (options.tools?.length ?? 0))
      warnings.push({ type: "unsupported", feature: "provider tools" });
    if (choice.type === "tool") tools = tools.filter((t) => t.name === choice.toolName);
    if (choice.type === "required" || choice.type === "tool") {
      warnings.push({
        type: "unsupported",
        feature: "toolChoice",
        details: "Ollama cannot force a tool call; tools are offered.",
      });
    }
    if (tools.length && choice.type !== "none") {
      body.tools = tools.map((t) => ({
        type: "function",
        function: { name: t.name, description: t.description ?? "", parameters: t.inputSchema },
      }));
    }
    if (options.responseFormat?.type === "json") body.format = options.responseFormat.schema ?? "json";
    return { body, warnings };
  }

  private async post(body: Record<string, unknown>, options: LanguageModelV3CallOptions): Promise<Response> {
    const doFetch = this.settings.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(`${this.baseURL}/api/chat`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...this.settings.headers,
          ...definedHeaders(options.headers),
        },
        body: JSON.stringify(body),
        signal: options.abortSignal,
      });
    } catch (error) {
      if (options.abortSignal?.aborted) throw error;
      throw new OllamaRequestError(
        this.baseURL,
        error instanceof Error ? error.message : String(error),
        undefined,
        error,
      );
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {}
      throw new OllamaRequestError(
        this.baseURL,
        `HTTP ${response.status} ${message}`.trim(),
        response.status,
      );
    }
    return response;
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const { body, warnings } = this.buildBody(options, false);
    const response = await this.post(body, options);
    const chunk = (await response.json()) as OllamaChunk;
    if (chunk.error) throw new OllamaRequestError(this.baseURL, chunk.error);
    const content: LanguageModelV3Content[] = [];
    if (chunk.message?.thinking) content.push({ type: "reasoning", text: chunk.message.thinking });
    if (chunk.message?.content) content.push({ type: "text", text: chunk.message.content });
    for (const call of chunk.message?.tool_calls ?? []) content.push(toToolCall(call));
    const hasCalls = content.some((c) => c.type === "tool-call");
    return {
      content,
      finishReason: mapDoneReason(chunk.done_reason, hasCalls),
      usage: toUsage(chunk),
      warnings,
      request: { body },
      response: { modelId: chunk.model, body: chunk },
    };
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const { body, warnings } = this.buildBody(options, true);
    const response = await this.post(body, options);
    if (!response.body) throw new OllamaRequestError(this.baseURL, "empty response body");
    const baseURL = this.baseURL;
    const includeRaw = options.includeRawChunks === true;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let textOpen = false;
    let reasoningOpen = false;
    let hasCalls = false;
    let finished = false;

    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      start(controller) {
        controller.enqueue({ type: "stream-start", warnings });
      },
      async pull(controller) {
        const handle = (line: string) => {
          if (!line.trim()) return;
          const chunk = JSON.parse(line) as OllamaChunk;
          if (includeRaw) controller.enqueue({ type: "raw", rawValue: chunk });
          if (chunk.error) throw new OllamaRequestError(baseURL, chunk.error);
          const thinking = chunk.message?.thinking;
          if (thinking) {
            if (!reasoningOpen) controller.enqueue({ type: "reasoning-start", id: "reasoning-0" });
            reasoningOpen = true;
            controller.enqueue({ type: "reasoning-delta", id: "reasoning-0", delta: thinking });
          }
          const text = chunk.message?.content;
          if (text) {
            if (reasoningOpen) {
              controller.enqueue({ type: "reasoning-end", id: "reasoning-0" });
              reasoningOpen = false;
            }
            if (!textOpen) controller.enqueue({ type: "text-start", id: "text-0" });
            textOpen = true;
            controller.enqueue({ type: "text-delta", id: "text-0", delta: text });
          }
          for (const raw of chunk.message?.tool_calls ?? []) {
            const call = toToolCall(raw);
            hasCalls = true;
            controller.enqueue({ type: "tool-input-start", id: call.toolCallId, toolName: call.toolName });
            controller.enqueue({ type: "tool-input-delta", id: call.toolCallId, delta: call.input });
            controller.enqueue({ type: "tool-input-end", id: call.toolCallId });
            controller.enqueue(call);
          }
          if (chunk.done) {
            if (reasoningOpen) controller.enqueue({ type: "reasoning-end", id: "reasoning-0" });
            if (textOpen) controller.enqueue({ type: "text-end", id: "text-0" });
            reasoningOpen = textOpen = false;
            finished = true;
            controller.enqueue({
              type: "finish",
              finishReason: mapDoneReason(chunk.done_reason, hasCalls),
              usage: toUsage(chunk),
            });
          }
        };
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) {
              handle(buffer);
              buffer = "";
              if (!finished)
                throw new OllamaRequestError(baseURL, "the stream ended before the final `done` message");
              controller.close();
              return;
            }
            buffer += value;
            const lines = buffer.split("\n");
            buffer = lines.pop() ?? "";
            for (const line of lines) handle(line);
            if (lines.length) return; // let the consumer pull again
          }
        } catch (error) {
          reader.cancel().catch(() => undefined);
          controller.error(error);
        }
      },
      cancel() {
        return reader.cancel();
      },
    });
    return { stream, request: { body }, response: { headers: Object.fromEntries(response.headers) } };
  }
}

function definedHeaders(headers: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

function toToolCall(call: { function: { name: string; arguments: unknown } }) {
  callCounter++;
  const args =
    typeof call.function.arguments === "string"
      ? call.function.arguments
      : JSON.stringify(call.function.arguments ?? {});
  return {
    type: "tool-call" as const,
    toolCallId: `ollama_call_${callCounter}`,
    toolName: call.function.name,
    input: args,
  };
}

function mapDoneReason(reason: string | undefined, hasCalls: boolean): LanguageModelV3FinishReason {
  if (hasCalls) return { unified: "tool-calls", raw: reason };
  if (reason === "stop") return { unified: "stop", raw: reason };
  if (reason === "length") return { unified: "length", raw: reason };
  return { unified: "other", raw: reason };
}

function toUsage(chunk: OllamaChunk): LanguageModelV3Usage {
  return {
    inputTokens: {
      total: chunk.prompt_eval_count,
      noCache: undefined,
      cacheRead: undefined,
      cacheWrite: undefined,
    },
    outputTokens: { total: chunk.eval_count, text: chunk.eval_count, reasoning: undefined },
    raw: { prompt_eval_count: chunk.prompt_eval_count ?? null, eval_count: chunk.eval_count ?? null },
  };
}

function toOllamaMessages(prompt: LanguageModelV3Prompt, warnings: SharedV3Warning[]): OllamaMessage[] {
  const messages: OllamaMessage[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case "system":
        messages.push({ role: "system", content: message.content });
        break;
      case "user": {
        const text: string[] = [];
        const images: string[] = [];
        for (const part of message.content) {
          if (part.type === "text") text.push(part.text);
          else if (
            part.mediaType.startsWith("image/") &&
            typeof part.data === "string" &&
            !/^https?:/.test(part.data)
          )
            images.push(part.data);
          else if (part.mediaType.startsWith("image/") && part.data instanceof Uint8Array)
            images.push(Buffer.from(part.data).toString("base64"));
          else warnings.push({ type: "unsupported", feature: `file part ${part.mediaType}` });
        }
        messages.push({ role: "user", content: text.join("\n"), ...(images.length ? { images } : {}) });
        break;
      }
      case "assistant": {
        const text: string[] = [];
        const calls: NonNullable<OllamaMessage["tool_calls"]> = [];
        for (const part of message.content) {
          if (part.type === "text") text.push(part.text);
          else if (part.type === "tool-call") {
            const input = typeof part.input === "string" ? JSON.parse(part.input) : part.input;
            calls.push({
              function: { name: part.toolName, arguments: (input ?? {}) as Record<string, unknown> },
            });
          }
        }
        messages.push({
          role: "assistant",
          content: text.join(""),
          ...(calls.length ? { tool_calls: calls } : {}),
        });
        break;
      }
      case "tool":
        for (const part of message.content) {
          if (part.type !== "tool-result") continue;
          const output = part.output;
          const value =
            "value" in output
              ? output.value
              : output.type === "execution-denied"
                ? `denied: ${output.reason ?? ""}`
                : "";
          messages.push({
            role: "tool",
            tool_name: part.toolName,
            content: typeof value === "string" ? value : JSON.stringify(value),
          });
        }
        break;
    }
  }
  return messages;
}
