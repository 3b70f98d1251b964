import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import type { Agent } from "../core/agent.js";
import type { RunTelemetry } from "../core/run-telemetry.js";
import type { RunTrace } from "../core/trace.js";
import { FlmError } from "../errors/flm-error.js";
import type { Caller } from "../tools/caller.js";
import { admitChatRequest } from "./admission.js";
import type { ChatRun } from "./chat-run.js";
import { CONVERSATION_HEADER, conversationKey } from "./conversation-key.js";
import { gatewayErrorFor } from "./gateway-errors.js";
import type { GatewayMetrics } from "./gateway-metrics.js";
import { completionId } from "./openai-wire.js";
import { respondHousekeeping } from "./respond-housekeeping.js";
import { respondJson } from "./respond-json.js";
import { respondSse } from "./respond-sse.js";
import type { RequestRecord } from "./request-log.js";
import type { RunRegistry } from "./run-registry.js";
import type { TraceStore } from "../traces/trace-store.js";
import { keepRun, type RunContext } from "./keep-run.js";
import type { UserAdmission } from "./user-admission.js";

export interface ChatCompletionsDeps {
  agents: Record<string, Agent>;
  modelNames: string[];
  limits: { maxConcurrentRuns: number; maxPromptChars: number; requestTimeoutMs: number };
  runs: RunRegistry;
  metrics: GatewayMetrics;
  traces: TraceStore;
  telemetry?: RunTelemetry;
  onError: (error: unknown) => void;
  draining: () => boolean;
  /** Per-user limits: checked after admission, the run slot given back when the run ends. */
  users: UserAdmission;
}

/** POST /v1/chat/completions: admission, then one run with its lifecycle, then JSON or SSE. */
export function chatCompletionsHandler(deps: ChatCompletionsDeps) {
  return async (c: Context<{ Variables: { caller: Caller; request: RequestRecord } }>): Promise<Response> => {
    const { request, model, agent, housekeeping } = await admitChatRequest(() => c.req.json(), {
      agents: deps.agents,
      modelNames: deps.modelNames,
      draining: deps.draining(),
      inFlight: deps.runs.size,
      maxConcurrentRuns: deps.limits.maxConcurrentRuns,
      maxPromptChars: deps.limits.maxPromptChars,
    });
    const caller = c.get("caller");
    const runId = randomUUID();
    const slot = await deps.users.admit(caller.id, runId);
    const run = deps.runs.start(c.req.raw.signal, slot.release);
    c.header("x-flm-trace-id", runId);
    const logged = c.get("request");
    Object.assign(logged, { agent: model, runId, runDone: run.done });
    const kept: RunContext = {
      traces: deps.traces,
      userId: caller.id,
      agent: model,
      prompt: request.prompt,
      historyTurns: request.history.length,
      startedAt: performance.now(),
      onError: deps.onError,
    };
    let live: RunTrace | undefined;
    const chat: ChatRun = {
      agent,
      request,
      run,
      runOptions: {
        signal: run.signal,
        user: caller,
        history: request.history,
        runId,
        conversation: conversationKey(caller.id, request, c.req.header(CONVERSATION_HEADER)),
        onTrace: (trace) => {
          live = trace;
        },
      },
      base: {
        id: completionId(runId),
        created: Math.floor(Date.now() / 1000),
        model,
        includeUsage: request.includeUsage,
      },
      async record(result) {
        await slot.countTokens(result.trace.usage.cloud);
        deps.metrics.observeTrace(result.trace, model);
        deps.telemetry?.record(result.trace, { agent: model });
        Object.assign(logged, { trace: result.trace, outcome: "ok" });
        await keepRun(kept, { result });
      },
      async fail(error) {
        const cause = run.cause();
        const e = gatewayErrorFor(error, cause, deps.limits.requestTimeoutMs);
        const flm = FlmError.isInstance(error) && !cause;
        const code = flm ? error.code : e.code;
        Object.assign(logged, { code, outcome: deps.metrics.observeError(code, error, model) });
        if (e.status === 500 && !FlmError.isInstance(error)) deps.onError(error);
        if (live) {
          await slot.countTokens(live.usage.cloud);
          const reason = flm
            ? { code: error.code, message: error.message }
            : { code: e.code, message: e.message };
          await keepRun(kept, {
            trace: live,
            error: reason,
            cancelled: cause === "client" || cause === "shutdown",
          });
          deps.telemetry?.record(live, { agent: model, errorCode: code });
          Object.assign(logged, { trace: live });
        }
        return e;
      },
    };
    if (housekeeping) return respondHousekeeping(c, chat, housekeeping);
    return request.stream ? respondSse(c, chat) : respondJson(c, chat);
  };
}
