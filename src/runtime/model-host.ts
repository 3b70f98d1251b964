export { isLocalHost } from "../privacy/private-address.js";
import { DEFAULT_OLLAMA_URL, parseModelSpec } from "../models/resolve-model.js";
import type { ModelConfig } from "../config/config-schema.js";

const CLOUD_HOSTS: Record<string, string> = {
  openai: "api.openai.com",
  anthropic: "api.anthropic.com",
  google: "generativelanguage.googleapis.com",
};

/** The host a model's requests go to, or undefined for an in-process model. */
export function modelHost(
  spec: ModelConfig,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  const s =
    typeof spec === "string"
      ? isGgufSpec(spec)
        ? { provider: "llama" as const }
        : parseModelSpec(spec)
      : spec;
  if (s.provider === "llama") return undefined;
  const baseURL =
    s.baseURL ??
    (s.provider === "ollama"
      ? (env.OLLAMA_BASE_URL ?? DEFAULT_OLLAMA_URL)
      : s.provider === "openai"
        ? env.OPENAI_BASE_URL
        : undefined);
  if (baseURL) return new URL(baseURL).hostname.replace(/^\[|\]$/g, "");
  return CLOUD_HOSTS[s.provider] ?? s.provider;
}

/** `llama:/path/model.gguf` or a bare path ending in .gguf. */
export function isGgufSpec(spec: string): boolean {
  return spec.startsWith("llama:") || /\.gguf$/i.test(spec);
}
