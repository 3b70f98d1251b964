import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { RunTrace } from "../core/trace.js";
import type { RunOutcome } from "./gateway-metrics.js";

/**
 * What the gateway learns about one request while it is served; written as ONE log line when the
 * response is complete (for a stream: when its run ends). Only ids, names, codes, numbers: never a
 * prompt, an argument, a result or a header value other than the request id.
 */
export interface RequestRecord {
  /** The client's `x-request-id` when it is a plain token, otherwise a fresh UUID; echoed back. */
  id: string;
  userId?: string;
  /** The model name the client asked for (a configured agent). */
  agent?: string;
  runId?: string;
  outcome?: RunOutcome;
  /** The error code of a failed run or a refused request. */
  code?: string;
  trace?: RunTrace;
  /** Settles when the run ends (after a streamed response's last chunk). */
  runDone?: Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id to use: the client's when it is safe to log and echo, else a new one. */
export function requestIdFrom(header: string | undefined): string {
  return header && REQUEST_ID.test(header) ? header : randomUUID();
}

export interface HttpFacts {
  method: string;
  route: string;
  status: number;
  /** Until the response headers. */
  headersMs: number;
  /** Until the response (or its stream's run) ended. */
  durationMs: number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** The log line's fields: a flat, bounded object. */
export function requestLogFields(r: RequestRecord, http: HttpFacts): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    reqId: r.id,
    method: http.method,
    route: http.route,
    status: http.status,
    ms: round(http.durationMs),
    headersMs: round(http.headersMs),
  };
  if (r.userId !== undefined) fields.userId = r.userId;
  if (r.agent !== undefined) fields.agent = r.agent;
  if (r.runId !== undefined) fields.runId = r.runId;
  if (r.outcome !== undefined) fields.outcome = r.outcome;
  if (r.code !== undefined) fields.code = r.code;
  const t = r.trace;
  if (t) {
    const stages: Record<string, number> = {};
    for (const [stage, ms] of Object.entries(t.stages)) if (typeof ms === "number") stages[stage] = round(ms);
    fields.stages = stages;
    fields.steps = t.steps.length;
    fields.planner = t.planner;
    fields.tokens = {
      cloudIn: t.usage.cloud.inputTokens,
      cloudOut: t.usage.cloud.outputTokens,
      localIn: t.usage.local.inputTokens,
      localOut: t.usage.local.outputTokens,
    };
    const blocked = t.egress.filter((e) => e.decision === "blocked").length;
    fields.egress = { requests: t.egress.length, bytes: t.egress.reduce((n, e) => n + e.bytes, 0), blocked };
  }
  return fields;
}

/** Writes the line once the run behind the request (if any) has ended. */
export function logRequest(
  logger: Logger,
  r: RequestRecord,
  http: Omit<HttpFacts, "durationMs">,
  t0: number,
) {
  const write = () => {
    const fields = requestLogFields(r, { ...http, durationMs: performance.now() - t0 });
    const level = http.status >= 500 ? "error" : http.status >= 400 ? "warn" : "info";
    logger[level](fields, "request");
  };
  if (r.runDone) void r.runDone.then(write, write);
  else write();
}
