import type { Context } from "hono";
import type { Caller } from "../tools/caller.js";
import type { RunRecord } from "../traces/run-record.js";
import type { TraceStore } from "../traces/trace-store.js";
import { GatewayError } from "./gateway-errors.js";

/**
 * GET /v1/traces/:id: a run's trace, for the user who made it only (anyone else gets the same 404
 * as for an unknown id). The body is the run's trace (plan, steps, egress, stages, usage) with what
 * the store keeps beside it: status, agent, duration, the prompt as typed, the answer and its citations.
 */
export function traceHandler(traces: TraceStore) {
  return async (c: Context<{ Variables: { caller: Caller } }>) => {
    const id = c.req.param("id") ?? "";
    const record = await traces.get(id, { userId: c.get("caller").id });
    if (!record)
      throw new GatewayError(404, "trace_not_found", `No trace ${id} for this caller.`, {
        hint: `Traces are kept ${traces.limits.retentionDays} days (traces.retentionDays), and only for the user who made the run.`,
      });
    return c.json(traceView(record));
  };
}

export function traceView(record: RunRecord) {
  return {
    ...record.trace,
    status: record.status,
    agent: record.agent,
    user: record.userId,
    durationMs: record.durationMs,
    error: record.error,
    prompt: record.prompt,
    historyTurns: record.historyTurns,
    answer: record.answer,
    citations: record.citations,
    truncated: record.truncated,
  };
}
