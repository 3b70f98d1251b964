import type { Context } from "hono";
import type { Caller } from "../tools/caller.js";
import { GatewayError } from "./gateway-errors.js";
import type { TraceStore } from "./trace-store.js";

/** GET /v1/models: one entry per agent (an extra `description`, which the OpenAI spec allows). */
export function modelsHandler(
  modelNames: string[],
  descriptions: Record<string, string | undefined> | undefined,
  created: number,
) {
  return (c: Context) =>
    c.json({
      object: "list",
      data: modelNames.map((id) => ({
        id,
        object: "model",
        created,
        owned_by: "flm",
        ...(descriptions?.[id] ? { description: descriptions[id] } : {}),
      })),
    });
}

/** GET /v1/traces/:id: a run's trace, only for the caller who made the run. */
export function traceHandler(traces: TraceStore) {
  return async (c: Context<{ Variables: { caller: Caller } }>) => {
    const trace = await traces.get(c.req.param("id") ?? "", c.get("caller").id);
    if (!trace)
      throw new GatewayError(404, "trace_not_found", `No trace ${c.req.param("id")} for this caller.`, {
        hint: "Traces are kept for the most recent runs only, and only for the user who made them.",
      });
    return c.json(trace);
  };
}
