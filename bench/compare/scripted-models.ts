/**
 * The scripted cloud and local models of the comparison, as real HTTP servers on 127.0.0.1
 * (composed from the test helper's fake OpenAI server through its `handle()` API). The servers,
 * not the designs, count what reached them: requests, approximate tokens of every body received
 * and reply sent (one shared counter), bytes of tool results, and customer values in the bodies.
 *
 * Timing is modelled so that no technique is credited for free:
 * - the cloud answers after its round trip, then produces its reply token by token at its decode
 *   rate, streamed or not (a non-streamed reply arrives when the last token is decoded);
 * - the local model is a llama.cpp server with a fixed number of slots (prompt-slots.ts): a
 *   request waits for a free slot, is charged prefill only for the prompt tokens past the longest
 *   common prefix with that slot's cache, then decodes at the question's speed.
 */
import { approximateTokenCounter } from "../../src/context/token-counter.js";
import { resolveArgs } from "../../src/execute/resolve-args.js";
import {
  type FakeOpenAIServer,
  type RecordedRequest,
  type Reply,
  reply,
  startFakeOpenAIServer,
} from "../../src/testing/fake-openai-server.js";
import { renderCompactPlan } from "../../src/plan/compact-plan.js";
import { composeAnswer } from "./compose-answer.js";
import { PromptSlots, renderChatPrompt } from "./prompt-slots.js";
import { ProviderPromptCache, promptOf } from "./provider-prompt-cache.js";
import { planFor, stepLevels, type WorkloadQuestion } from "./workload.js";

export type DesignId = "federated" | "sequential" | "react";
/** Headers the designs' model clients add so the fake servers know whose call it is (never counted). */
export const DESIGN_HEADER = "x-bench-design";
export const QUESTION_HEADER = "x-bench-question";
/** A federated-lm run with some techniques off (bench:compare --techniques): counted on its own. */
export const VARIANT_HEADER = "x-bench-variant";

export interface LatencyProfile {
  /** Cloud round trip before the first byte, drawn per call. */
  cloudRttMs: [number, number];
  /** Cloud decode speed for the reply's tokens. */
  cloudTokensPerSec: number;
  /** Local decode speed, drawn per question. */
  localTokensPerSec: [number, number];
  /** Local prompt processing (prefill) speed: the local model reads the whole context first. */
  localPrefillTokensPerSec: number;
  localOverheadMs: number;
  /** Parallel slots of the local server (`--parallel`), each with its own prompt cache. */
  localSlots: number;
  /** Tool call duration, drawn per call. */
  toolMs: [number, number];
}

export const DEFAULT_PROFILE: LatencyProfile = {
  cloudRttMs: [400, 800],
  cloudTokensPerSec: 80,
  localTokensPerSec: [20, 60],
  localPrefillTokensPerSec: 800,
  localOverheadMs: 30,
  localSlots: 4,
  toolMs: [5, 200],
};

export interface EndpointStats {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from a prompt cache (the provider's, or the local server's slots). */
  cachedTokens: number;
  /** Local server: prompt tokens actually evaluated (prefill), and time spent waiting for a slot. */
  prefillTokens: number;
  slotWaitMs: number;
  requestBytes: number;
  /** Bytes of `role: "tool"` message contents received. */
  toolBytes: number;
  /** Occurrences of customer values (names, emails, phones, addresses) in the bodies received. */
  sensitiveHits: number;
  sensitiveDistinct: Set<string>;
  /** Questions whose requests carried at least one customer value. */
  leakingQuestions: Set<string>;
  unscripted: number;
}

export const newStats = (): EndpointStats => ({
  requests: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedTokens: 0,
  prefillTokens: 0,
  slotWaitMs: 0,
  requestBytes: 0,
  toolBytes: 0,
  sensitiveHits: 0,
  sensitiveDistinct: new Set(),
  leakingQuestions: new Set(),
  unscripted: 0,
});

/** Deterministic uniform [0,1) from a string key (FNV-1a into mulberry32), so every run draws the same. */
export function draw(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let a = h >>> 0;
  a = (a + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export const between = ([lo, hi]: [number, number], key: string) => lo + draw(key) * (hi - lo);

/** Answer length in tokens (60–120), the same for a question whichever model writes it. */
export const answerTokens = (q: WorkloadQuestion) => Math.round(between([60, 120], `${q.id}|answer`));

const tokens = (text: string) => approximateTokenCounter.count(text);

export interface ScriptedModels {
  cloud: FakeOpenAIServer;
  local: FakeOpenAIServer;
  stats: { cloud: Map<string, EndpointStats>; local: Map<string, EndpointStats> };
  close(): Promise<void>;
}

export async function startScriptedModels(options: {
  workload: WorkloadQuestion[];
  sensitiveValues: string[];
  profile?: LatencyProfile;
}): Promise<ScriptedModels> {
  const profile = options.profile ?? DEFAULT_PROFILE;
  const questions = new Map(options.workload.map((q) => [q.id, q]));
  const needles = [...new Set(options.sensitiveValues.map((v) => v.trim()).filter((v) => v.length >= 3))].map(
    (v) => ({ value: v, lower: v.toLowerCase() }),
  );
  const stats = { cloud: new Map<string, EndpointStats>(), local: new Map<string, EndpointStats>() };
  const callIndex = new Map<string, number>();
  const statsOf = (which: Map<string, EndpointStats>, design: string) => {
    let s = which.get(design);
    if (!s) {
      s = newStats();
      which.set(design, s);
    }
    return s;
  };

  const receive = (which: Map<string, EndpointStats>, req: RecordedRequest) => {
    // Counted as received: design and question come from headers the servers never bill.
    const design = header(req, DESIGN_HEADER) ?? "unknown";
    const qid = header(req, QUESTION_HEADER) ?? "unknown";
    // A variant is billed on its own row but draws the same latencies as its design.
    const variant = header(req, VARIANT_HEADER);
    const key = variant ? `${design}:${variant}` : design;
    const s = statsOf(which, key);
    s.requests++;
    s.inputTokens += tokens(req.body);
    s.requestBytes += Buffer.byteLength(req.body);
    for (const m of req.json?.messages ?? []) {
      if (m?.role === "tool") s.toolBytes += Buffer.byteLength(contentText(m.content));
    }
    const text = stringLeaves(req.json ?? req.body)
      .join("\n")
      .toLowerCase();
    for (const n of needles) {
      let at = text.indexOf(n.lower);
      while (at !== -1) {
        s.sensitiveHits++;
        s.sensitiveDistinct.add(n.value);
        s.leakingQuestions.add(qid);
        at = text.indexOf(n.lower, at + n.lower.length);
      }
    }
    const n = (callIndex.get(`${key}|${qid}`) ?? 0) + 1;
    callIndex.set(`${key}|${qid}`, n);
    return { design, key, q: questions.get(qid), s, call: n };
  };

  const cloud = await startFakeOpenAIServer();
  const providerCaches = new Map<string, ProviderPromptCache>();
  cloud.handle((req) => {
    const { design, key, q, s, call } = receive(stats.cloud, req);
    const rtt = between(profile.cloudRttMs, `${design}|${q?.id}|cloud|${call}`);
    if (!providerCaches.has(key)) providerCaches.set(key, new ProviderPromptCache());
    const cached = providerCaches.get(key)!.read(promptOf(req.json ?? {}));
    s.cachedTokens += cached;
    const send = (r: Reply, outText: string): Reply => {
      const out = tokens(outText);
      s.outputTokens += out;
      const usage = {
        prompt_tokens: tokens(req.body),
        completion_tokens: out,
        prompt_tokens_details: { cached_tokens: cached },
      };
      // First token after the round trip, then the reply at decode speed, streamed or not.
      return { ...r, options: { usage, delayMs: rtt, tokensPerSec: profile.cloudTokensPerSec } } as Reply;
    };
    if (!q) {
      s.unscripted++;
      return reply.error(400, "scripted cloud: unknown question");
    }
    if (design === "federated") {
      const messages: any[] = req.json?.messages ?? [];
      const steps = withPlaceholders(q.plan, q.question, lastUserText(messages)).map(
        ({ after: _, ...st }) => st,
      );
      if (req.json?.tools?.length) {
        // Native tool calls: one call per step, numbered s1..sN as flm numbers them.
        const calls = renumber(steps).map((st) => ({ id: `call_${st.id}`, name: st.tool, args: st.args }));
        return send(reply.toolCalls(calls), toolCallText(calls));
      }
      const system = contentText(messages.find((m) => m?.role === "system")?.content ?? "");
      const text = /one step per line/.test(system) ? renderCompactPlan(steps) : JSON.stringify({ steps });
      return send(reply.text(text), text);
    }
    // Tool-calling loops: issue the steps round by round, resolving references from the results seen.
    const steps = planFor(q, true);
    const levels = stepLevels(steps);
    const messages: any[] = req.json?.messages ?? [];
    const round = messages.filter((m) => m?.role === "assistant" && m.tool_calls?.length).length;
    const outputs = new Map<string, unknown>();
    for (const m of messages) {
      if (m?.role === "tool" && typeof m.tool_call_id === "string") {
        outputs.set(m.tool_call_id.replace(/^call_/, ""), safeJson(contentText(m.content)));
      }
    }
    const due = steps.filter((st) => levels.get(st.id) === round);
    if (due.length > 0) {
      const calls = due.map((st) => ({
        id: `call_${st.id}`,
        name: st.tool,
        args: resolveArgs(st.args, outputs),
      }));
      return send(reply.toolCalls(calls), toolCallText(calls));
    }
    if (design === "sequential") {
      const text = "I have all the information needed.";
      return send(reply.text(text), text);
    }
    const data = messages
      .filter((m) => m?.role === "tool")
      .map((m) => contentText(m.content))
      .join("\n");
    const text = composeAnswer(q, data, answerTokens(q));
    return send(reply.text(text), text);
  });

  const local = await startFakeOpenAIServer();
  const slots = new PromptSlots(profile.localSlots);
  local.handle(async (req) => {
    const { q, s } = receive(stats.local, req);
    if (!q) {
      s.unscripted++;
      return reply.error(400, "scripted local model: unknown question");
    }
    const messages: Array<{ role: string; content: string }> = (req.json?.messages ?? []).map((m: any) => ({
      role: String(m?.role),
      content: contentText(m?.content),
    }));
    const grant = await slots.acquire(renderChatPrompt(messages), {
      reuse: req.json?.cache_prompt !== false,
      slot: typeof req.json?.id_slot === "number" && req.json.id_slot >= 0 ? req.json.id_slot : undefined,
    });
    const prefill = grant.promptTokens - grant.cachedTokens;
    s.cachedTokens += grant.cachedTokens;
    s.prefillTokens += prefill;
    s.slotWaitMs += grant.waitedMs;
    const data = messages.map((m) => m.content).join("\n");
    const limit = Number(req.json?.max_completion_tokens ?? req.json?.max_tokens ?? Number.POSITIVE_INFINITY);
    const text = truncateTokens(composeAnswer(q, data, answerTokens(q)), limit);
    const out = tokens(text);
    s.outputTokens += out;
    return reply.text(text, {
      usage: {
        prompt_tokens: grant.promptTokens,
        completion_tokens: out,
        prompt_tokens_details: { cached_tokens: grant.cachedTokens },
      },
      delayMs: profile.localOverheadMs + (prefill / profile.localPrefillTokensPerSec) * 1000,
      tokensPerSec: between(profile.localTokensPerSec, `${q.id}|local-speed`),
      onEnd: () => grant.release(text),
    });
  });

  return {
    cloud,
    local,
    stats,
    close: async () => {
      await Promise.all([cloud.close(), local.close()]);
    },
  };
}

/**
 * A capable planner writes the placeholders it was shown, never the values behind them: map each
 * placeholder in the pseudonymized prompt back to the text it replaced in the original question.
 */
export function withPlaceholders<T>(plan: T, original: string, received: string): T {
  if (original === received) return plan;
  const PLACEHOLDER = /<[A-Z][A-Z0-9_]*_\d+>/g;
  const names = received.match(PLACEHOLDER) ?? [];
  if (names.length === 0) return plan;
  const pattern = received
    .split(PLACEHOLDER)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("(.+?)");
  const match = new RegExp(`^${pattern}$`, "su").exec(original);
  if (!match) return plan;
  const pairs = names.map((p, i) => [match[i + 1], p] as const).sort((a, b) => b[0].length - a[0].length);
  const swap = (v: unknown): unknown => {
    if (typeof v === "string") return pairs.reduce((acc, [value, p]) => acc.split(value).join(p), v);
    if (Array.isArray(v)) return v.map(swap);
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
    return v;
  };
  return swap(plan) as T;
}

/** Steps numbered s1..sN in order, references rewritten to match (as tool-call mode numbers them). */
function renumber<T extends { id: string; args: Record<string, unknown> }>(steps: T[]): T[] {
  const ids = new Map(steps.map((st, i) => [st.id, `s${i + 1}`]));
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (typeof v === "object" && v !== null) {
      const o = v as Record<string, unknown>;
      if (typeof o.$ref === "string") return { ...o, $ref: ids.get(o.$ref) ?? o.$ref };
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, rewrite(x)]));
    }
    return v;
  };
  return steps.map((st) => ({
    ...st,
    id: ids.get(st.id)!,
    args: rewrite(st.args) as Record<string, unknown>,
  }));
}

/**
 * Tool calls as counted (the same for every design): each call's name and arguments as JSON,
 * `{"name": ..., "arguments": ...}`, which stands for the few tokens of framing a provider adds.
 */
function toolCallText(calls: Array<{ name: string; args: unknown }>): string {
  return JSON.stringify(calls.map((c) => ({ name: c.name, arguments: c.args })));
}

/** The first `limit` tokens of a text (a request's `max_tokens`). */
function truncateTokens(text: string, limit: number): string {
  if (!(limit < Number.POSITIVE_INFINITY)) return text;
  let out = "";
  for (const piece of text.match(/\s*\S+/g) ?? []) {
    if (tokens(out + piece) > limit) break;
    out += piece;
  }
  return out || (text.match(/\S+/)?.[0] ?? "");
}

function header(req: RecordedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((p) => (typeof p?.text === "string" ? p.text : JSON.stringify(p))).join("");
  return content == null ? "" : JSON.stringify(content);
}

function lastUserText(messages: any[]): string {
  const user = messages.filter((m) => m?.role === "user");
  return user.length ? contentText(user[user.length - 1].content) : "";
}

function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringLeaves(v, out);
  else if (typeof value === "object" && value !== null)
    for (const v of Object.values(value)) stringLeaves(v, out);
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
