import { isIP } from "node:net";
import { DEFAULT_OLLAMA_URL, parseModelSpec } from "../models/resolve-model.js";
import type { ModelConfig } from "./config-schema.js";

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

/** Loopback or private network: data sent there stays inside the building. */
export function isLocalHost(host: string): boolean {
  if (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host.endsWith(".local") ||
    host.endsWith(".internal")
  )
    return true;
  const ip = host.toLowerCase();
  const v4 = ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  if (isIP(v4) === 4) {
    const [a, b] = v4.split(".").map(Number);
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (isIP(ip) === 6) return ip === "::1" || /^f[cd]/.test(ip);
  return false;
}
