/** Run records for trace-store tests and benches: a two-step plan with a `$ref`, one egress, usage. */
import { createHash } from "node:crypto";
import type { RunTrace } from "../../src/core/trace.js";
import { buildRunRecord, type RunRecord, type RunStatus } from "../../src/traces/run-record.js";

export const T0 = Date.parse("2026-11-20T10:00:00.000Z");

export function makeTrace(id: string, overrides: Partial<RunTrace> = {}): RunTrace {
  const body = JSON.stringify({ messages: [{ role: "user", content: "Revenue for <PERSON_1>?" }] });
  return {
    id,
    startedAt: new Date(T0).toISOString(),
    planner: "cloud:openai.chat/planner-model",
    plannerPrompt: "Revenue for <PERSON_1>?",
    repairs: 0,
    plan: {
      mode: "json",
      steps: [
        { id: "s1", tool: "find_customer", args: { name: "<PERSON_1>" } },
        { id: "s2", tool: "invoices", args: { customer: { $ref: "s1", path: "rows[0].id" } } },
      ],
    },
    steps: [
      { id: "s1", tool: "find_customer", args: { name: "<PERSON_1>" }, status: "ok", durationMs: 3 },
      { id: "s2", tool: "invoices", args: { customer: { $ref: "s1" } }, status: "ok", durationMs: 4 },
    ],
    usage: { cloud: { inputTokens: 100, outputTokens: 20 }, local: { inputTokens: 300, outputTokens: 40 } },
    egress: [
      {
        url: "https://api.example.com/v1/chat/completions",
        host: "api.example.com",
        purpose: "plan",
        body,
        bytes: Buffer.byteLength(body),
        sha256: createHash("sha256").update(body).digest("hex"),
        decision: "allowed",
        hits: [],
        at: new Date(T0).toISOString(),
      },
    ],
    stages: { pseudonymize: 1, plan: 50, execute: 8, context: 1, answer: 30, total: 90 },
    ...overrides,
  };
}

export function makeRecord(
  id: string,
  options: {
    at?: number;
    userId?: string;
    agent?: string;
    status?: RunStatus;
    durationMs?: number;
    trace?: Partial<RunTrace>;
    prompt?: string;
  } = {},
): RunRecord {
  const status = options.status ?? "ok";
  const trace = makeTrace(id, {
    startedAt: new Date(options.at ?? T0).toISOString(),
    ...options.trace,
  });
  return buildRunRecord({
    trace,
    userId: options.userId ?? "alice",
    agent: options.agent ?? "flm",
    prompt: options.prompt ?? "Revenue for Hannah Schneider?",
    answer: status === "ok" ? "Hannah's revenue is 42 [s2]." : undefined,
    citations: status === "ok" ? ["s2"] : undefined,
    durationMs: options.durationMs ?? 90,
    error:
      status === "blocked"
        ? { code: "EGRESS_BLOCKED", message: "Blocked a request to api.example.com: EMAIL from s1." }
        : status === "error"
          ? { code: "PLANNER_FAILED", message: "The planner failed." }
          : undefined,
    cancelled: status === "cancelled",
  });
}
