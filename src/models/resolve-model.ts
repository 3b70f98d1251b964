import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { FlmError } from "../errors/flm-error.js";
import { createOllamaModel } from "./ollama/ollama-chat-model.js";

export interface ModelSpecObject {
  /** openai | anthropic | google | ollama | openai-compatible */
  provider: string;
  model: string;
  baseURL?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** Ollama: the context window to load the model with (`num_ctx`). Default 8192. */
  contextWindow?: number;
}

export interface ResolveModelOptions {
  /** The fetch the provider uses: for cloud models, the egress tap and guard. */
  fetch?: typeof globalThis.fetch;
  /** Environment to read keys and base URLs from (defaults to process.env). */
  env?: Record<string, string | undefined>;
}

const KEY_ENV: Record<string, string> = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
  google: "GOOGLE_GENERATIVE_AI_API_KEY",
};

export const DEFAULT_OLLAMA_URL = "http://localhost:11434";

/**
 * Turns a spec into an AI SDK model instance:
 * `openai:gpt-4o`, `anthropic:claude-sonnet-4-5`, `google:gemini-2.5-pro`, `ollama:qwen2.5:3b` (native API),
 * `http://host:8000/v1#model-name` (any OpenAI-compatible server), or an object form.
 */
export function resolveModel(
  spec: string | ModelSpecObject,
  options: ResolveModelOptions = {},
): LanguageModelV3 {
  const env = options.env ?? process.env;
  const s = typeof spec === "string" ? parseModelSpec(spec) : spec;
  const common = { fetch: options.fetch, headers: s.headers };
  switch (s.provider) {
    case "openai":
      // Chat Completions: the dialect every OpenAI-compatible gateway also speaks.
      return createOpenAI({ ...common, apiKey: key(s, env), baseURL: s.baseURL ?? env.OPENAI_BASE_URL }).chat(
        s.model,
      );
    case "anthropic":
      return createAnthropic({
        ...common,
        apiKey: key(s, env),
        baseURL: s.baseURL ?? env.ANTHROPIC_BASE_URL,
      })(s.model);
    case "google":
      return createGoogleGenerativeAI({ ...common, apiKey: key(s, env), baseURL: s.baseURL })(s.model);
    case "ollama":
      // Ollama's native API: the only way to set the context window (num_ctx) and keep_alive.
      // Its OpenAI-compatible endpoint stays available as http://host:11434/v1#model.
      return createOllamaModel({
        ...common,
        model: s.model,
        baseURL: (s.baseURL ?? env.OLLAMA_BASE_URL ?? DEFAULT_OLLAMA_URL).replace(/\/v1\/?$/, ""),
        contextWindow: s.contextWindow,
      });
    case "openai-compatible": {
      if (!s.baseURL) {
        throw new FlmError("MODEL_SPEC_INVALID", `Model "${s.model}" needs a base URL.`, {
          hint: "Write it as http://host:port/v1#model-name or give baseURL in the config.",
        });
      }
      return createOpenAICompatible({
        ...common,
        name: "openai-compatible",
        baseURL: s.baseURL,
        apiKey: s.apiKey,
        includeUsage: true,
        // vLLM, llama.cpp server, Ollama /v1 and LM Studio enforce a JSON Schema in response_format.
        supportsStructuredOutputs: true,
      }).chatModel(s.model);
    }
    default:
      throw new FlmError("MODEL_SPEC_INVALID", `Unknown model provider "${s.provider}".`, {
        hint: "Use openai:, anthropic:, google:, ollama:, or an OpenAI-compatible URL like http://localhost:8000/v1#model.",
      });
  }
}

export function parseModelSpec(spec: string): ModelSpecObject {
  const trimmed = spec.trim();
  if (/^https?:\/\//.test(trimmed)) {
    const [baseURL, model] = trimmed.split("#");
    if (!model) {
      throw new FlmError("MODEL_SPEC_INVALID", `"${spec}" names no model.`, {
        hint: "Append #model-name to the URL.",
      });
    }
    return { provider: "openai-compatible", baseURL, model };
  }
  const colon = trimmed.indexOf(":");
  if (colon <= 0 || colon === trimmed.length - 1) {
    throw new FlmError("MODEL_SPEC_INVALID", `"${spec}" is not a model spec.`, {
      hint: "Use provider:model, e.g. openai:gpt-4o or ollama:qwen2.5:3b.",
    });
  }
  return { provider: trimmed.slice(0, colon), model: trimmed.slice(colon + 1) };
}

function key(s: ModelSpecObject, env: Record<string, string | undefined>): string {
  const name = KEY_ENV[s.provider];
  const value = s.apiKey ?? env[name];
  if (!value) {
    throw new FlmError("MODEL_KEY_MISSING", `No API key for ${s.provider}.`, {
      hint: `Set ${name} in the environment (or apiKey in the config), or plan locally.`,
    });
  }
  return value;
}
