import type { Context } from "hono";
import type { Agent, RunOptions } from "../core/agent.js";
import type { RunResult } from "../core/run-result.js";
import type { GatewayError } from "./gateway-errors.js";
import type { ChatRequest } from "./openai-wire.js";
import type { RequestRecord } from "./request-log.js";
import type { RunHandle } from "./run-registry.js";

/** What a responder needs to answer one admitted chat request. */
export interface ChatRun {
  agent: Agent;
  request: ChatRequest;
  run: RunHandle;
  runOptions: RunOptions & { runId: string };
  /** The fields every chunk and completion repeats. */
  base: { id: string; created: number; model: string; includeUsage: boolean };
  /** Keeps the finished run in the trace store and counts its stages and tokens. */
  record(result: RunResult): Promise<void>;
  /**
   * The GatewayError to send for what the run threw: counted, kept in the trace store (failed,
   * blocked or cancelled, with what the run did until then), unexpected errors reported.
   */
  fail(error: unknown): Promise<GatewayError>;
}

/** Sends a GatewayError as OpenAI's error body, with its status and headers (retry-after, ...). */
export function errorResponse(c: Context, e: GatewayError): Response {
  // The request's log line carries the code (never the message: it may quote input).
  const logged = (c.var as { request?: RequestRecord }).request;
  if (logged && !logged.code) logged.code = e.code;
  for (const [k, v] of Object.entries(e.headers)) c.header(k, v);
  return c.json(e.body(), e.status as 400);
}
