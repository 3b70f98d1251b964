import type { LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import type { Span } from "./span.js";

/*
 * Optional local-model pass (`privacy.localModelReview`): the local generator (it sees the prompt
 * anyway, and it never leaves the machine) lists the private spans of the prompt under a JSON
 * schema. Every provider flm uses enforces the schema: in-process llama.cpp compiles it to a
 * grammar, Ollama gets it as `format`, OpenAI-compatible servers as `response_format`. Each listed
 * string becomes a span at every place it occurs in the prompt (case-insensitively); strings that
 * do not occur are ignored, so a wrong or invented answer can only add replacements, never remove
 * one: the detectors' spans are kept and the review's are merged under them. Off by default; its
 * quality depends on the model and cannot be measured with the tiny test models.
 */
export interface LocalReviewOptions {
  model: LanguageModelV3;
  /** Give up after this long and use the detectors alone. Default 15 s. */
  timeoutMs?: number;
  /** Longest prompt reviewed (longer ones are reviewed in their first part). Default 6,000 characters. */
  maxChars?: number;
  /** Upper bound on the reply. Default 400 tokens. */
  maxOutputTokens?: number;
}

export interface ReviewResult {
  spans: Span[];
  /** Wall time of the model call. */
  ms: number;
  /** Why the review contributed nothing, when it failed (timeout, unparseable reply). */
  error?: string;
}

export interface LocalReviewer {
  review(text: string, signal?: AbortSignal): Promise<ReviewResult>;
}

const KINDS = [
  "PERSON",
  "ORGANIZATION",
  "LOCATION",
  "TERM",
  "ID",
  "SECRET",
  "URL",
  "HANDLE",
  "EMAIL",
  "PHONE",
];

/** The reply's JSON schema: `{ "private": [{ "text": "...", "kind": "PERSON" }, ...] }`. */
export const REVIEW_SCHEMA = {
  type: "object",
  properties: {
    private: {
      type: "array",
      maxItems: 24,
      items: {
        type: "object",
        properties: { text: { type: "string", maxLength: 80 }, kind: { enum: KINDS } },
        required: ["text", "kind"],
        additionalProperties: false,
      },
    },
  },
  required: ["private"],
  additionalProperties: false,
} as const;

const INSTRUCTIONS =
  "You find private information in a user's message before it is sent to an outside service. " +
  "List every string that identifies the user or someone they know: names of people, organisations, " +
  "places, products, projects and teams, usernames and handles, IDs, codes and order numbers, " +
  "passwords and keys, URLs, emails and phone numbers; in any language. Copy each string exactly as " +
  "it appears in the message. Do not list ordinary words. Reply with JSON only.";

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Spans for every occurrence of each listed string (at least 2 characters, not the whole prompt). */
export function spansFromReview(text: string, reply: unknown): Span[] {
  const items = (reply as { private?: unknown })?.private;
  if (!Array.isArray(items)) return [];
  const spans: Span[] = [];
  for (const item of items) {
    const value = typeof item?.text === "string" ? item.text.trim() : "";
    const kind = KINDS.includes(item?.kind) ? (item.kind as string) : "TERM";
    if (value.length < 2 || value.length > Math.max(40, text.length / 2)) continue;
    const word = /^[\p{L}\p{N}]/u.test(value) && /[\p{L}\p{N}]$/u.test(value);
    const re = new RegExp(
      word ? `(?<![\\p{L}\\p{N}])${escapeRegExp(value)}(?![\\p{L}\\p{N}])` : escapeRegExp(value),
      "giu",
    );
    // Scripts without spaces have no word boundaries: match anywhere.
    const loose = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(value);
    for (const m of text.matchAll(loose ? new RegExp(escapeRegExp(value), "giu") : re))
      spans.push({ type: kind, start: m.index!, end: m.index! + m[0].length, value: m[0], score: 0.4 });
  }
  return spans;
}

export function createLocalReviewer(options: LocalReviewOptions): LocalReviewer {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxChars = options.maxChars ?? 6_000;
  return {
    async review(text, signal) {
      const t0 = performance.now();
      const timeout = AbortSignal.timeout(timeoutMs);
      const call: LanguageModelV3CallOptions = {
        prompt: [
          { role: "system", content: INSTRUCTIONS },
          { role: "user", content: [{ type: "text", text: text.slice(0, maxChars) }] },
        ],
        responseFormat: { type: "json", schema: REVIEW_SCHEMA as never, name: "private_spans" },
        maxOutputTokens: options.maxOutputTokens ?? 400,
        temperature: 0,
        abortSignal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      };
      try {
        const result = await options.model.doGenerate(call);
        const raw = result.content.map((c) => (c.type === "text" ? c.text : "")).join("");
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          return { spans: [], ms: performance.now() - t0, error: "the reply was not JSON" };
        }
        return { spans: spansFromReview(text, parsed), ms: performance.now() - t0 };
      } catch (error) {
        if (signal?.aborted) throw error;
        const reason = timeout.aborted ? `no reply within ${timeoutMs} ms` : (error as Error).message;
        return { spans: [], ms: performance.now() - t0, error: reason };
      }
    },
  };
}
