/** Ollama `/api/embed`: a plain function returning one vector per input text. */
import { createTrustPolicy, type ResolveHost } from "../../privacy/trust-policy.js";
import { OllamaHostRefusedError, OllamaRequestError } from "./errors.js";
import { normalizeOllamaBaseURL } from "./ollama-chat-model.js";

export interface OllamaEmbedOptions {
  baseURL?: string;
  model: string;
  keepAlive?: string;
  /** Texts per request; larger inputs are sent in batches. Default 64. */
  batchSize?: number;
  fetch?: typeof fetch;
  /** Allow a host the trust policy would refuse (e.g. a public address you control). */
  trusted?: boolean;
  /** How the host name is resolved for the trust check (tests); default: the system's DNS. */
  resolveHost?: ResolveHost;
}

export type EmbedFunction = (texts: string[], options?: { signal?: AbortSignal }) => Promise<number[][]>;

/**
 * Embeds texts with Ollama. The texts are data: the host must pass the trust policy (loopback or
 * private addresses only) unless `trusted` is set; checked once, before the first request.
 */
export function createOllamaEmbedFunction(settings: OllamaEmbedOptions): EmbedFunction {
  const baseURL = normalizeOllamaBaseURL(settings.baseURL);
  const doFetch = settings.fetch ?? fetch;
  const batchSize = settings.batchSize ?? 64;
  let checked: Promise<void> | undefined;
  const checkHost = async () => {
    if (settings.trusted) return;
    const decision = await createTrustPolicy({ resolve: settings.resolveHost }).checkUrl(baseURL);
    if (!decision.trusted) throw new OllamaHostRefusedError(decision.detail);
  };
  return async (texts, options = {}) => {
    checked ??= checkHost();
    await checked.catch((error) => {
      checked = undefined;
      throw error;
    });
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      const input = texts.slice(i, i + batchSize);
      let response: Response;
      try {
        response = await doFetch(`${baseURL}/api/embed`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: settings.model, input, keep_alive: settings.keepAlive ?? "30m" }),
          signal: options.signal,
        });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        throw new OllamaRequestError(
          baseURL,
          error instanceof Error ? error.message : String(error),
          undefined,
          error,
        );
      }
      if (!response.ok)
        throw new OllamaRequestError(
          baseURL,
          `HTTP ${response.status} ${await response.text().catch(() => "")}`.trim(),
          response.status,
        );
      const body = (await response.json()) as { embeddings?: number[][] };
      if (!Array.isArray(body.embeddings) || body.embeddings.length !== input.length) {
        throw new OllamaRequestError(
          baseURL,
          `expected ${input.length} embeddings, got ${body.embeddings?.length ?? "none"}`,
        );
      }
      vectors.push(...body.embeddings);
    }
    return vectors;
  };
}

/** @deprecated Renamed: use createOllamaEmbedFunction (same options). */
export const ollamaEmbed = createOllamaEmbedFunction;
