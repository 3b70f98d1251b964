import { DocumentError } from "../document-errors.js";
import type { Embedder } from "./embedder.js";
import type { ResolveHost } from "../../../privacy/trust-policy.js";
import { assertLocalEndpoint } from "./local-host-policy.js";

export interface HttpEmbedderOptions {
  /** Server root, e.g. `http://127.0.0.1:11434` (Ollama) or `http://127.0.0.1:8080/v1` (OpenAI-compatible). */
  baseURL?: string;
  /** @deprecated Use `baseURL` (the spelling every flm option uses). */
  baseUrl?: string;
  model: string;
  /** Allow a non-private host you control (e.g. a VPN address that resolves publicly). */
  trusted?: boolean;
  apiKey?: string;
  /** Texts per request. Default 64. */
  batchSize?: number;
  dimensions?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** How the host name is resolved for the trust check (tests); default: the system's DNS. */
  resolveHost?: ResolveHost;
}

interface Protocol {
  kind: string;
  path: string;
  body: (model: string, input: string[]) => unknown;
  vectors: (json: any) => unknown;
}

const OLLAMA: Protocol = {
  kind: "ollama",
  path: "/api/embed",
  body: (model, input) => ({ model, input, truncate: true }),
  vectors: (json) => json?.embeddings,
};

const OPENAI: Protocol = {
  kind: "openai",
  path: "/embeddings",
  body: (model, input) => ({ model, input, encoding_format: "float" }),
  vectors: (json) =>
    Array.isArray(json?.data)
      ? [...json.data].sort((a: any, b: any) => (a.index ?? 0) - (b.index ?? 0)).map((d: any) => d.embedding)
      : undefined,
};

/** Ollama's `/api/embed` (Ollama ≥ 0.3). */
export function createOllamaEmbedder(options: Partial<HttpEmbedderOptions> & { model: string }): Embedder {
  return createHttpEmbedder(OLLAMA, {
    ...options,
    baseURL: options.baseURL ?? options.baseUrl ?? "http://127.0.0.1:11434",
  });
}

/** An OpenAI-compatible `/v1/embeddings` served locally (llama.cpp server, vLLM, LM Studio, ...). */
export function createOpenAICompatibleEmbedder(options: HttpEmbedderOptions): Embedder {
  return createHttpEmbedder(OPENAI, options);
}

function createHttpEmbedder(protocol: Protocol, options: HttpEmbedderOptions): Embedder {
  const root = options.baseURL ?? options.baseUrl;
  if (!root) {
    throw new DocumentError("DOC_EMBEDDER_FAILED", "The embedder has no baseURL.", {
      hint: "Pass baseURL, e.g. http://127.0.0.1:8080/v1 for a llama.cpp server.",
    });
  }
  const base = root.replace(/\/+$/, "");
  const url = base + protocol.path;
  const doFetch = options.fetch ?? fetch;
  const batchSize = Math.max(1, options.batchSize ?? 64);
  let checked: Promise<void> | undefined;
  return {
    local: true,
    id: `${protocol.kind}:${options.model}`,
    dimensions: options.dimensions,
    async embed(texts, signal) {
      checked ??= assertLocalEndpoint(url, options.trusted, options.resolveHost);
      await checked.catch((error) => {
        checked = undefined;
        throw error;
      });
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = texts.slice(i, i + batchSize);
        const signals = [AbortSignal.timeout(options.timeoutMs ?? 120_000), ...(signal ? [signal] : [])];
        let response: Response;
        try {
          response = await doFetch(url, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
            },
            body: JSON.stringify(protocol.body(options.model, batch)),
            signal: AbortSignal.any(signals),
          });
        } catch (cause) {
          if (signal?.aborted) throw signal.reason;
          throw new DocumentError("DOC_EMBEDDER_FAILED", `Embedding server at ${url} is not reachable.`, {
            cause,
            hint: "Start it (e.g. `ollama serve`) or fix the base URL.",
          });
        }
        if (!response.ok) {
          const detail = (await response.text().catch(() => "")).slice(0, 200);
          throw new DocumentError(
            "DOC_EMBEDDER_FAILED",
            `Embedding request failed: HTTP ${response.status} ${detail}`,
            {
              hint: `Check that model "${options.model}" is available on ${base}.`,
            },
          );
        }
        const vectors = protocol.vectors(await response.json().catch(() => undefined));
        if (
          !Array.isArray(vectors) ||
          vectors.length !== batch.length ||
          !vectors.every((v) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "number"))
        ) {
          throw new DocumentError(
            "DOC_EMBEDDER_FAILED",
            `Embedding server at ${url} returned an unexpected body.`,
            {
              hint: "Check that the endpoint speaks the expected protocol and the model is an embedding model.",
            },
          );
        }
        out.push(...(vectors as number[][]));
      }
      return out;
    },
  };
}
