import type { LanguageModel } from "ai";
import { ConfigError } from "../config/config-error.js";
import type { ModelConfig } from "../config/config-schema.js";
import { configPath, type FlmConfig } from "../config/load-config.js";
import type { LlamaLanguageModel } from "../models/llama/llama-language-model.js";
import { resolveModel } from "../models/resolve-model.js";
import { isGgufSpec } from "./model-host.js";

export interface ModelFactoryContext {
  config: FlmConfig;
  env: Record<string, string | undefined>;
  /** The fetch the provider uses: the egress guard and tap for a cloud planner, plain otherwise. */
  fetch?: typeof globalThis.fetch;
}

/**
 * A model from its config: `llama:`/`.gguf` and `provider: llama` load in-process (llama.cpp is
 * imported only then), everything else goes through the provider resolver. `at` is the key path
 * for errors (`generator`, `agents.sales.planner`).
 */
export async function createConfiguredModel(
  spec: ModelConfig,
  at: string,
  context: ModelFactoryContext,
): Promise<LanguageModel> {
  const { config, env } = context;
  if (typeof spec === "string") {
    if (isGgufSpec(spec)) return llamaModel(configPath(config, spec.replace(/^llama:/, "")));
    return resolveModel(spec, { fetch: context.fetch, env });
  }
  if (spec.provider === "llama") {
    if (!spec.modelPath) throw missing(`${at}.modelPath`, "missing (expected a path to a .gguf file)");
    return llamaModel(configPath(config, spec.modelPath), {
      contextSize: spec.contextWindow,
      sequences: spec.sequences,
      threads: spec.threads,
    });
  }
  let apiKey = spec.apiKey;
  if (spec.apiKeyEnv) {
    apiKey = env[spec.apiKeyEnv];
    if (!apiKey) {
      const message = `environment variable ${spec.apiKeyEnv} is not set`;
      throw new ConfigError("CONFIG_ENV_MISSING", `${at}.apiKeyEnv: ${message}`, {
        issues: [{ path: `${at}.apiKeyEnv`, message }],
        hint: `Export ${spec.apiKeyEnv}.`,
      });
    }
  }
  if (!spec.model) throw missing(`${at}.model`, "missing (expected a model name)");
  return resolveModel(
    {
      provider: spec.provider,
      model: spec.model,
      baseURL: spec.baseURL,
      apiKey,
      headers: spec.headers,
      contextWindow: spec.contextWindow,
    },
    { fetch: context.fetch, env },
  );
}

export function isLlamaModel(model: LanguageModel): model is LlamaLanguageModel {
  return typeof model === "object" && typeof (model as LlamaLanguageModel).tokenizer === "function";
}

function missing(path: string, message: string): ConfigError {
  return new ConfigError("CONFIG_INVALID", `${path}: ${message}`, { issues: [{ path, message }] });
}

async function llamaModel(
  modelPath: string,
  options: { contextSize?: number; sequences?: number; threads?: number } = {},
): Promise<LanguageModel> {
  // Loaded on demand: llama.cpp's bindings are heavy and most commands never need them.
  const { createLlamaModel } = await import("../models/llama/index.js");
  return createLlamaModel({ modelPath, ...options });
}
