/**
 * The scripted cloud and local models of the comparison, as real HTTP servers on 127.0.0.1
 * (composed from the test helper's fake OpenAI server through its `handle()` API). The servers,
 * not the designs, count what reached them: requests, approximate tokens of every body received
 * and reply sent (one shared counter), bytes of tool results, and customer values in the bodies.
 */
import { approximateTokenCounter } from "../../src/context/token-counter.js";
import { resolveArgs } from "../../src/execute/resolve-args.js";
import {
  type FakeOpenAIServer,
  type RecordedRequest,
  type Reply,
  reply,
  startFakeOpenAIServer,
} from "../../test/helpers/fake-openai-server.js";
import { composeAnswer } from "./compose-answer.js";
import { planFor, stepLevels, type WorkloadQuestion } from "./workload.js";

export type DesignId = "federated" | "sequential" | "react";
/** Headers the designs' model clients add so the fake servers know whose call it is (never counted). */
export const DESIGN_HEADER = "x-bench-design";
export const QUESTION_HEADER = "x-bench-question";

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
  /** Tool call duration, drawn per call. */
  toolMs: [number, number];
}

export const DEFAULT_PROFILE: LatencyProfile = {
  cloudRttMs: [400, 800],
  cloudTokensPerSec: 80,
  localTokensPerSec: [20, 60],
  localPrefillTokensPerSec: 800,
  localOverheadMs: 30,
  toolMs: [5, 200],
};

export interface EndpointStats {
  requests: number;
  inputTokens: number;
  outputTokens: number;
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
    const design = header(req, DESIGN_HEADER) ?? "unknown";
    const qid = header(req, QUESTION_HEADER) ?? "unknown";
    const s = statsOf(which, design);
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
    const n = (callIndex.get(`${design}|${qid}`) ?? 0) + 1;
    callIndex.set(`${design}|${qid}`, n);
    return { design, q: questions.get(qid), s, call: n, stream: req.json?.stream === true };
  };

  const cloud = await startFakeOpenAIServer();
  cloud.handle((req) => {
    const { design, q, s, call, stream } = receive(stats.cloud, req);
    const rtt = between(profile.cloudRttMs, `${design}|${q?.id}|cloud|${call}`);
    const msPerToken = 1000 / profile.cloudTokensPerSec;
    const send = (r: Reply, outText: string): Reply => {
      const out = tokens(outText);
      s.outputTokens += out;
      const usage = { prompt_tokens: tokens(req.body), completion_tokens: out };
      const words = Math.max(1, outText.match(/\S+/g)?.length ?? 1);
      const streamedText = stream && r.kind === "text";
      return {
        ...r,
        options: {
          usage,
          // Streamed text arrives word by word at decode speed; anything else arrives whole.
          delayMs: streamedText ? rtt : rtt + out * msPerToken,
          chunkDelayMs: streamedText ? (out / words) * msPerToken : 0,
        },
      } as Reply;
    };
    if (!q) {
      s.unscripted++;
      return reply.error(400, "scripted cloud: unknown question");
    }
    if (design === "federated") {
      const prompt = lastUserText(req.json?.messages ?? []);
      const plan = { steps: withPlaceholders(q.plan, q.question, prompt).map(({ after: _, ...st }) => st) };
      const text = JSON.stringify(plan);
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
      return send(
        reply.toolCalls(calls),
        JSON.stringify(calls.map((c) => ({ name: c.name, arguments: c.args }))),
      );
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
  local.handle((req) => {
    const { q, s } = receive(stats.local, req);
    if (!q) {
      s.unscripted++;
      return reply.error(400, "scripted local model: unknown question");
    }
    const input = tokens(req.body);
    const data = (req.json?.messages ?? []).map((m: any) => contentText(m.content)).join("\n");
    const text = composeAnswer(q, data, answerTokens(q));
    const out = tokens(text);
    s.outputTokens += out;
    const tps = between(profile.localTokensPerSec, `${q.id}|local-speed`);
    const words = Math.max(1, text.match(/\S+/g)?.length ?? 1);
    return reply.text(text, {
      usage: { prompt_tokens: input, completion_tokens: out },
      delayMs: profile.localOverheadMs + (input / profile.localPrefillTokensPerSec) * 1000,
      chunkDelayMs: ((out / words) * 1000) / tps,
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
