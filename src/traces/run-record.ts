import type { RunTrace, TokenUsage } from "../core/trace.js";

export type RunStatus = "ok" | "error" | "blocked" | "cancelled";

export const RUN_STATUSES: readonly RunStatus[] = ["ok", "error", "blocked", "cancelled"];

/**
 * One run as the trace store keeps it: who, which agent, how it ended, what the user typed, what
 * the cloud saw, the answer, and the run's trace (plan, steps, egress, stage timings). Tool
 * results are never part of it. A blocked run keeps no content at all (see `buildRunRecord`).
 */
export interface RunRecord {
  id: string;
  /** ISO 8601. */
  startedAt: string;
  userId: string;
  agent: string;
  status: RunStatus;
  durationMs: number;
  usage: { cloud: TokenUsage; local: TokenUsage };
  /** Why a run failed or was blocked. For a block it names entity types and origins, never a value. */
  error?: { code: string; message: string };
  /** The last user turn as typed (the trace's `plannerPrompt` is the same turn as the planner saw it). Absent for blocked runs. */
  prompt?: string;
  /** Earlier turns sent with the request (their text is in the egress bodies, pseudonymized). */
  historyTurns?: number;
  /** The local model's answer. Absent for blocked runs. */
  answer?: string;
  /** Step ids the answer cites. */
  citations?: string[];
  trace: RunTrace;
  /** Present when content was cut to fit the per-trace size cap. */
  truncated?: { originalBytes: number };
}

/** The columns a list shows; every store can answer these without parsing the record. */
export interface RunSummary {
  id: string;
  startedAt: string;
  userId: string;
  agent: string;
  status: RunStatus;
  durationMs: number;
  cloudTokens: number;
  localTokens: number;
  blocked: boolean;
  errorCode?: string;
  /** The error's message (for a block: entity types and origins, never a value), at most 500 characters. */
  errorMessage?: string;
  /** Size of the stored record in bytes (after capping). */
  bytes: number;
}

/** Error codes that mean "refused for privacy", as opposed to a failure. */
const BLOCK_CODES = new Set(["EGRESS_BLOCKED", "PRIVACY_POLICY_BLOCKED"]);

export function isBlockCode(code: string | undefined): boolean {
  return code !== undefined && BLOCK_CODES.has(code);
}

export const BLOCKED_BODY = "[blocked: not sent]";

export interface BuildRunRecordInput {
  trace: RunTrace;
  userId: string;
  agent: string;
  prompt: string;
  historyTurns?: number;
  answer?: string;
  citations?: string[];
  /** The error the run ended with, if any. */
  error?: { code: string; message: string };
  cancelled?: boolean;
  /** Wall-clock duration; defaults to the trace's `stages.total`. */
  durationMs?: number;
}

/**
 * Builds the stored form of a run. The one rule that matters: **a blocked run stores no
 * content**: no prompt (typed or as the planner saw it), no answer, no step error messages, and no
 * egress body of a blocked request (only its size and hash). What the guard refused must not sit
 * in a table that a console renders.
 */
export function buildRunRecord(input: BuildRunRecordInput): RunRecord {
  const { trace } = input;
  const blocked = isBlockCode(input.error?.code);
  const status: RunStatus = blocked
    ? "blocked"
    : input.cancelled
      ? "cancelled"
      : input.error
        ? "error"
        : "ok";
  const egress = trace.egress.map((e) => (e.decision === "blocked" ? { ...e, body: BLOCKED_BODY } : e));
  const steps = blocked
    ? trace.steps.map((s) => (s.error ? { ...s, error: { code: s.error.code, message: "[withheld]" } } : s))
    : trace.steps;
  const record: RunRecord = {
    id: trace.id,
    startedAt: trace.startedAt,
    userId: input.userId,
    agent: input.agent,
    status,
    durationMs: round(input.durationMs ?? trace.stages.total ?? 0),
    usage: trace.usage,
    trace: { ...trace, egress, steps },
  };
  if (blocked) {
    delete record.trace.plannerPrompt;
    if (trace.warnings)
      record.trace.warnings = trace.warnings.map((w) => ({ kind: w.kind, message: "[withheld]" }));
  }
  if (input.error) record.error = { code: input.error.code, message: input.error.message };
  if (input.historyTurns) record.historyTurns = input.historyTurns;
  if (!blocked) {
    record.prompt = input.prompt;
    if (input.answer !== undefined) record.answer = input.answer;
    if (input.citations?.length) record.citations = input.citations;
  }
  return record;
}

export function summarize(record: RunRecord, bytes: number): RunSummary {
  const { cloud, local } = record.usage;
  return {
    id: record.id,
    startedAt: record.startedAt,
    userId: record.userId,
    agent: record.agent,
    status: record.status,
    durationMs: record.durationMs,
    cloudTokens: cloud.inputTokens + cloud.outputTokens,
    localTokens: local.inputTokens + local.outputTokens,
    blocked: record.status === "blocked",
    errorCode: record.error?.code,
    errorMessage: record.error?.message.slice(0, 500),
    bytes,
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
