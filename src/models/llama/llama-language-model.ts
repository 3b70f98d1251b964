/**
 * An AI SDK v6 `LanguageModelV3` running a GGUF model in-process through node-llama-cpp.
 *
 * - The prompt is rendered with the model's own chat template (node-llama-cpp's "auto" chat
 *   wrapper, which falls back to a generic template for models without one).
 * - JSON output is constrained by a grammar built from the requested schema.
 * - Tools: with `toolChoice` auto, node-llama-cpp's function calling (calls are returned, never
 *   executed here: the SDK runs tools); with `required` or a named tool, a grammar forces a call.
 * - Each request borrows its own context sequence; extra concurrent requests wait their turn.
 *   It goes to the free sequence that already holds the longest prefix of its prompt, and only
 *   the tokens past that prefix are evaluated (reported as `cacheRead` / `noCache` input tokens).
 * - `prefill(prompt)` reads a prompt ahead of the request that will continue it (the fixed part
 *   of the answer prompt while the cloud plans, then each result as it arrives).
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Prompt,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3FunctionTool,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
  SharedV3Warning,
} from "@ai-sdk/provider";
import type {
  ChatModelFunctions,
  LLamaChatGenerateResponseOptions,
  LlamaChat,
  LlamaChatResponseChunk,
  LlamaGrammar,
  LlamaModel,
} from "node-llama-cpp";
import { LlamaModelDisposedError, LlamaPromptTooLongError } from "./errors.js";
import { toGbnfJsonSchema } from "./json-schema-to-gbnf.js";
import {
  acquireLlamaModel,
  getLlamaRuntime,
  type LlamaGpuOption,
  type LlamaModelHandle,
} from "./llama-runtime.js";
import { heldPrefix, openPromptTokens, promptTokens, sequenceFit } from "./prompt-tokens.js";
import { promptToChatHistory } from "./prompt-to-history.js";
import { SequencePool } from "./sequence-pool.js";
import { loadLlamaCpp } from "../../core/load-optional.js";

export interface LlamaModelOptions {
  /** Path to a .gguf file. */
  modelPath: string;
  /** Context window per sequence, in tokens. Default: min(model's training context, 4096). */
  contextSize?: number;
  /**
   * CPU threads for evaluation (0 = all). Default: 1 for tiny models (< 64 MB, where thread
   * synchronisation costs far more than the math: measured 100-1000x slower on a busy 2-core
   * machine), else node-llama-cpp's choice.
   */
  threads?: number;
  /** Concurrent generations served in parallel (one context sequence each). Default 1. */
  sequences?: number;
  /** GPU backend; default false (CPU), which needs no probing or build. */
  gpu?: LlamaGpuOption;
  /** Model id reported to the AI SDK; default: the file name. */
  modelId?: string;
  /** Cap applied when the caller gives no maxOutputTokens. Default 1024. */
  defaultMaxOutputTokens?: number;
}

export interface LlamaLanguageModel extends LanguageModelV3 {
  /** Tokens one request can hold (prompt + output), from the created context. */
  contextWindow(): Promise<number>;
  /** Exact token count of `text` with the model's tokenizer. */
  countTokens(text: string): Promise<number>;
  /** The model's tokenizer as a synchronous counter, once loaded (see `tokenizerTokenCounter`). */
  tokenizer(): Promise<(text: string) => number>;
  /**
   * Reads a prompt into a free sequence without generating: the prompt's last user message may
   * still grow (its text is read up to its end, the turn is not closed). A later request whose
   * prompt continues it evaluates only the rest. Best effort: with every sequence busy it
   * returns at once with `skipped`.
   */
  prefill(prompt: LanguageModelV3Prompt, options?: { signal?: AbortSignal }): Promise<PrefillResult>;
  /**
   * Tokens llama.cpp has evaluated so far over all sequences, from node-llama-cpp's token meters:
   * `input` counts prompt tokens decoded without sampling, `output` the decodes sampled from
   * (each generated token, and the last token of each prompt).
   */
  evaluatedTokens(): Promise<{ input: number; output: number }>;
  /** Frees this instance's context and its reference to the shared model. */
  dispose(): Promise<void>;
}

export interface PrefillResult {
  /** Tokens the sequence already held. */
  reusedTokens: number;
  /** Tokens evaluated now. */
  evaluatedTokens: number;
  skipped?: "busy" | "too-long" | "unsupported";
}

const DEFAULT_CONTEXT_CAP = 4096;
const TINY_MODEL_BYTES = 64 * 1024 * 1024;

export function createLlamaModel(options: LlamaModelOptions): LlamaLanguageModel {
  return new LlamaLanguageModelImpl(options);
}

interface Loaded {
  handle: LlamaModelHandle;
  pool: SequencePool;
}

interface RunCallbacks {
  onText?(delta: string): void;
  onReasoning?(delta: string): void;
}

interface RunResult {
  content: LanguageModelV3Content[];
  finishReason: LanguageModelV3FinishReason;
  usage: LanguageModelV3Usage;
  warnings: SharedV3Warning[];
}

let nextCallId = 0;

class LlamaLanguageModelImpl implements LlamaLanguageModel {
  readonly specificationVersion = "v3" as const;
  readonly provider = "flm.llama";
  readonly modelId: string;
  readonly supportedUrls: Record<string, RegExp[]> = {};
  private loaded?: Promise<Loaded>;
  private disposed = false;

  constructor(private readonly options: LlamaModelOptions) {
    this.modelId = options.modelId ?? options.modelPath.split(/[\\/]/).pop() ?? options.modelPath;
  }

  private load(): Promise<Loaded> {
    if (this.disposed) return Promise.reject(new LlamaModelDisposedError());
    if (!this.loaded) {
      this.loaded = (async () => {
        const handle = await acquireLlamaModel(this.options.modelPath, { gpu: this.options.gpu });
        try {
          const contextSize =
            this.options.contextSize ?? Math.min(handle.model.trainContextSize, DEFAULT_CONTEXT_CAP);
          const threads = this.options.threads ?? (handle.model.size < TINY_MODEL_BYTES ? 1 : undefined);
          const context = await handle.model.createContext({
            contextSize,
            sequences: this.options.sequences ?? 1,
            ...(threads !== undefined ? { threads } : {}),
          });
          const { LlamaChat } = await loadLlamaCpp();
          return { handle, pool: new SequencePool(context, LlamaChat) };
        } catch (error) {
          await handle.release();
          throw error;
        }
      })();
      this.loaded.catch(() => {
        this.loaded = undefined;
      });
    }
    return this.loaded;
  }

  async contextWindow(): Promise<number> {
    const { pool } = await this.load();
    return pool.context.contextSize;
  }

  async countTokens(text: string): Promise<number> {
    return (await this.tokenizer())(text);
  }

  /** The model's own tokenizer as a synchronous counter (for context budgets). */
  async tokenizer(): Promise<(text: string) => number> {
    const { handle } = await this.load();
    return (text) => handle.model.tokenize(text).length;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const loaded = await this.loaded?.catch(() => undefined);
    if (!loaded) return;
    await loaded.pool.dispose();
    await loaded.handle.release();
  }

  async evaluatedTokens(): Promise<{ input: number; output: number }> {
    const { pool } = await this.load();
    let input = 0;
    let output = 0;
    for (const chat of pool.chats) {
      input += chat.sequence.tokenMeter.usedInputTokens;
      output += chat.sequence.tokenMeter.usedOutputTokens;
    }
    return { input, output };
  }

  async prefill(
    prompt: LanguageModelV3Prompt,
    options: { signal?: AbortSignal } = {},
  ): Promise<PrefillResult> {
    options.signal?.throwIfAborted();
    const { handle, pool } = await this.load();
    const probe = pool.anyChat;
    const { LlamaText } = await import("node-llama-cpp");
    const { history } = promptToChatHistory(prompt);
    const tokens = probe && openPromptTokens(probe, handle.model, history, (values) => LlamaText(values));
    if (!tokens?.length) return { reusedTokens: 0, evaluatedTokens: 0, skipped: "unsupported" };
    // Leave room to generate: a prompt that nearly fills the window is not worth holding.
    if (tokens.length >= pool.context.contextSize - 16)
      return { reusedTokens: 0, evaluatedTokens: 0, skipped: "too-long" };
    const chat = pool.tryAcquire(sequenceFit(tokens));
    if (!chat) return { reusedTokens: 0, evaluatedTokens: 0, skipped: "busy" };
    try {
      const sequence = chat.sequence;
      await sequence.adaptStateToTokens(tokens, false);
      const reusedTokens = sequence.nextTokenIndex;
      const rest = tokens.slice(reusedTokens);
      if (rest.length > 0 && !options.signal?.aborted)
        await sequence.evaluateWithoutGeneratingNewTokens(rest);
      return { reusedTokens, evaluatedTokens: options.signal?.aborted ? 0 : rest.length };
    } finally {
      pool.release(chat);
    }
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const result = await this.run(options, {});
    return {
      content: result.content,
      finishReason: result.finishReason,
      usage: result.usage,
      warnings: result.warnings,
      response: { modelId: this.modelId, timestamp: new Date() },
    };
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    let controller!: ReadableStreamDefaultController<LanguageModelV3StreamPart>;
    // A consumer may cancel the stream (the answer stage does on abort): stop generating so the
    // sequence is released, and stop enqueueing, since enqueue on a cancelled stream throws.
    let cancelled = false;
    const stop = new AbortController();
    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      start(c) {
        controller = c;
      },
      cancel() {
        cancelled = true;
        stop.abort(new Error("The stream was cancelled."));
      },
    });
    const enqueue = (part: LanguageModelV3StreamPart) => {
      if (!cancelled) controller.enqueue(part);
    };
    const abortSignal = options.abortSignal
      ? AbortSignal.any([options.abortSignal, stop.signal])
      : stop.signal;
    const textId = "text-0";
    const reasoningId = "reasoning-0";
    let textOpen = false;
    let reasoningOpen = false;
    const closeOpen = () => {
      if (reasoningOpen) enqueue({ type: "reasoning-end", id: reasoningId });
      if (textOpen) enqueue({ type: "text-end", id: textId });
      reasoningOpen = textOpen = false;
    };
    // Warnings are known only after the prompt is converted, so stream-start is sent from run().
    const run = this.run(
      { ...options, abortSignal },
      {
        onStart: (warnings) => {
          enqueue({ type: "stream-start", warnings });
          enqueue({ type: "response-metadata", modelId: this.modelId, timestamp: new Date() });
        },
        onText: (delta) => {
          if (!textOpen) {
            textOpen = true;
            enqueue({ type: "text-start", id: textId });
          }
          enqueue({ type: "text-delta", id: textId, delta });
        },
        onReasoning: (delta) => {
          if (!reasoningOpen) {
            reasoningOpen = true;
            enqueue({ type: "reasoning-start", id: reasoningId });
          }
          enqueue({ type: "reasoning-delta", id: reasoningId, delta });
        },
      },
    );
    run.then(
      (result) => {
        closeOpen();
        for (const part of result.content) {
          if (part.type !== "tool-call") continue;
          enqueue({ type: "tool-input-start", id: part.toolCallId, toolName: part.toolName });
          enqueue({ type: "tool-input-delta", id: part.toolCallId, delta: part.input });
          enqueue({ type: "tool-input-end", id: part.toolCallId });
          enqueue(part);
        }
        enqueue({ type: "finish", finishReason: result.finishReason, usage: result.usage });
        if (!cancelled) controller.close();
      },
      (error) => {
        closeOpen();
        if (!cancelled) controller.error(error);
      },
    );
    return { stream };
  }

  private async run(
    options: LanguageModelV3CallOptions,
    callbacks: RunCallbacks & { onStart?(warnings: SharedV3Warning[]): void },
  ): Promise<RunResult> {
    const signal = options.abortSignal;
    signal?.throwIfAborted();
    const { handle, pool } = await this.load();
    const model = handle.model;
    const llama = await getLlamaRuntime(this.options.gpu ?? false);
    const { history, warnings } = promptToChatHistory(options.prompt);
    for (const [feature, value] of [
      ["presencePenalty", options.presencePenalty],
      ["frequencyPenalty", options.frequencyPenalty],
    ] as const) {
      if (value !== undefined) warnings.push({ type: "unsupported", feature });
    }

    const functionTools = (options.tools ?? []).filter(
      (t): t is LanguageModelV3FunctionTool => t.type === "function",
    );
    if (functionTools.length < (options.tools?.length ?? 0)) {
      warnings.push({
        type: "unsupported",
        feature: "provider tools",
        details: "Only function tools run in-process.",
      });
    }
    const choice = options.toolChoice ?? { type: "auto" };
    const useTools = functionTools.length > 0 && choice.type !== "none";
    const forcedTools =
      useTools && choice.type === "tool"
        ? functionTools.filter((t) => t.name === choice.toolName)
        : useTools && choice.type === "required"
          ? functionTools
          : undefined;

    let grammar: LlamaGrammar | undefined;
    let functions: ChatModelFunctions | undefined;
    if (forcedTools && forcedTools.length > 0) {
      // A grammar over {"name", "arguments"} guarantees a call even from a small model.
      grammar = await llama.createGrammarForJsonSchema({
        oneOf: forcedTools.map((tool) => ({
          type: "object",
          properties: { name: { const: tool.name }, arguments: toGbnfJsonSchema(tool.inputSchema) },
        })),
      } as never);
      history.splice(history.length - 1, 0, {
        type: "system",
        text: `Call one of these tools by answering with JSON {"name": ..., "arguments": ...}:\n${forcedTools
          .map((t) => `- ${t.name}: ${t.description ?? ""} arguments schema ${JSON.stringify(t.inputSchema)}`)
          .join("\n")}`,
      });
    } else if (useTools) {
      functions = Object.fromEntries(
        functionTools.map((tool) => [
          tool.name,
          { description: tool.description, params: toGbnfJsonSchema(tool.inputSchema) },
        ]),
      );
      if (options.responseFormat?.type === "json") {
        warnings.push({
          type: "other",
          message: "responseFormat json is not enforced while tools are offered.",
        });
      }
    } else if (options.responseFormat?.type === "json") {
      grammar = options.responseFormat.schema
        ? await llama.createGrammarForJsonSchema(toGbnfJsonSchema(options.responseFormat.schema) as never)
        : await llama.getGrammarFor("json");
    }

    callbacks.onStart?.(warnings);
    const probe = pool.anyChat;
    const tokens = probe ? promptTokens(probe, model, history, functions) : undefined;
    const chat = await pool.acquire(signal, tokens ? sequenceFit(tokens) : undefined);
    // llama.cpp evaluates at least the last prompt token, to sample from it.
    const reused = tokens ? Math.min(heldPrefix(tokens)(chat), Math.max(0, tokens.length - 1)) : 0;
    try {
      let outputTokens = 0;
      const generateOptions: LLamaChatGenerateResponseOptions<ChatModelFunctions | undefined> = {
        signal,
        stopOnAbortSignal: false,
        maxTokens: options.maxOutputTokens ?? this.options.defaultMaxOutputTokens ?? 1024,
        temperature: options.temperature,
        topP: options.topP,
        topK: options.topK,
        seed: options.seed,
        customStopTriggers: options.stopSequences?.length ? options.stopSequences : undefined,
        onToken: (tokens: readonly unknown[]) => {
          outputTokens += tokens.length;
        },
        onResponseChunk: (chunk: LlamaChatResponseChunk) => {
          if (chunk.type === undefined) callbacks.onText?.(chunk.text);
          else if (chunk.segmentType === "thought") callbacks.onReasoning?.(chunk.text);
        },
        ...(grammar ? { grammar } : {}),
        ...(functions ? { functions, maxParallelFunctionCalls: 4 } : {}),
      } as never;
      const response = await chat
        .generateResponse<ChatModelFunctions | undefined>(history, generateOptions)
        .catch((error: unknown) => {
          // llama.cpp's wording for "the prompt alone overflows the context": say it plainly.
          if (/context shift|too long prompt|context size/i.test(String((error as Error)?.message))) {
            const promptTokens = countPromptTokens(chat, model, history, functions);
            throw new LlamaPromptTooLongError(promptTokens ?? 0, pool.context.contextSize, error);
          }
          throw error;
        });
      signal?.throwIfAborted();

      const inputTokens = tokens?.length ?? countPromptTokens(chat, model, history, functions);
      const content: LanguageModelV3Content[] = [];
      const thought = response.fullResponse
        .filter((item) => typeof item !== "string" && item.segmentType === "thought")
        .map((item) => (item as { text: string }).text)
        .join("");
      if (thought) content.push({ type: "reasoning", text: thought });

      let finishReason = mapStopReason(response.metadata.stopReason);
      if (forcedTools && forcedTools.length > 0) {
        const call = parseForcedCall(response.response);
        if (call) {
          content.push({
            type: "tool-call",
            toolCallId: newCallId(),
            toolName: call.name,
            input: JSON.stringify(call.arguments ?? {}),
          });
          finishReason = { unified: "tool-calls", raw: response.metadata.stopReason };
        } else if (response.response) {
          content.push({ type: "text", text: response.response });
        }
      } else {
        if (response.response) content.push({ type: "text", text: response.response });
        for (const call of response.functionCalls ?? []) {
          content.push({
            type: "tool-call",
            toolCallId: newCallId(),
            toolName: call.functionName,
            input: JSON.stringify(call.params ?? {}),
          });
        }
        if (response.functionCalls?.length)
          finishReason = { unified: "tool-calls", raw: response.metadata.stopReason };
      }

      return {
        content,
        finishReason,
        warnings,
        usage: {
          inputTokens: {
            total: inputTokens,
            noCache: inputTokens === undefined ? undefined : inputTokens - reused,
            cacheRead: inputTokens === undefined ? undefined : reused,
            cacheWrite: undefined,
          },
          outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
        },
      };
    } finally {
      pool.release(chat);
    }
  }
}

function newCallId(): string {
  nextCallId++;
  return `call_${Date.now().toString(36)}_${nextCallId}`;
}

function mapStopReason(reason: string): LanguageModelV3FinishReason {
  switch (reason) {
    case "eogToken":
    case "stopGenerationTrigger":
    case "customStopTrigger":
      return { unified: "stop", raw: reason };
    case "maxTokens":
      return { unified: "length", raw: reason };
    case "functionCalls":
      return { unified: "tool-calls", raw: reason };
    default:
      return { unified: "other", raw: reason };
  }
}

function parseForcedCall(text: string): { name: string; arguments: unknown } | undefined {
  try {
    const value = JSON.parse(text) as { name?: unknown; arguments?: unknown };
    return typeof value.name === "string" ? { name: value.name, arguments: value.arguments } : undefined;
  } catch {
    return undefined;
  }
}

/** Prompt tokens as the model saw them: the history rendered by the chat template, tokenized. */
function countPromptTokens(
  chat: LlamaChat,
  model: LlamaModel,
  history: Parameters<LlamaChat["generateResponse"]>[0],
  functions: ChatModelFunctions | undefined,
): number | undefined {
  try {
    const state = chat.chatWrapper.generateContextState({
      chatHistory: history,
      availableFunctions: functions,
    });
    return state.contextText.tokenize(model.tokenizer).length;
  } catch {
    return undefined;
  }
}
