import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace as traceApi,
} from "@opentelemetry/api";
import type { EgressRecord } from "../core/egress-record.js";
import type { RunTelemetryInfo } from "../core/run-telemetry.js";
import type { RunTrace, StageName } from "../core/trace.js";

/**
 * What span attributes may carry besides ids, names, numbers and codes. `none` (default): no
 * prompt, arguments or content of any kind. `pseudonymized`: exactly what the cloud saw, i.e. the
 * messages of each allowed planner request and the plan's arguments as planned (placeholders and
 * references). Never tool results, the local model's answer, or a blocked request's body.
 */
export type RecordContent = "none" | "pseudonymized";

/** A model as the GenAI conventions name it. */
export interface ModelName {
  /** `gen_ai.provider.name`: `openai`, `anthropic`, `ollama`, ... */
  provider: string;
  /** `gen_ai.request.model`. */
  model: string;
}

export interface RunSpanOptions {
  recordContent?: RecordContent;
  /** The generator (local model) of each agent, for the answer's `chat` span. */
  generators?: Record<string, ModelName | undefined>;
}

/**
 * A planner's name (`cloud:openai.chat/gpt-5-mini (compact)`, `local:ollama/qwen2.5:3b`) as a
 * provider and model: the AI SDK provider id's first part is the GenAI provider name.
 */
export function plannerModel(name: string): ModelName & { location: string } {
  const m = /^(cloud|local):([^/\s]+)\/(.+?)(?: \(.*\))?$/.exec(name);
  if (!m) return { location: "cloud", provider: "unknown", model: name };
  const provider = m[2]!.split(".")[0]!;
  return { location: m[1]!, provider: provider === "google" ? "gcp.gemini" : provider, model: m[3]! };
}

/** The `messages` (or Gemini `contents`) of a request body as JSON, or undefined. */
function messagesOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { messages?: unknown; contents?: unknown; system?: unknown };
    const messages = parsed.messages ?? parsed.contents;
    return messages === undefined ? undefined : JSON.stringify(messages);
  } catch {
    return undefined;
  }
}

const usageAttributes = (u: { inputTokens: number; outputTokens: number }): Attributes => ({
  "gen_ai.usage.input_tokens": u.inputTokens,
  "gen_ai.usage.output_tokens": u.outputTokens,
});

/**
 * Emits one run as spans, after the fact, from its trace (timings, tokens, steps, egress):
 * `invoke_agent {agent}` with children `pseudonymize`, `plan {agent}` (a `chat {model}` client
 * span per request to the cloud), `execute` (an `execute_tool {tool}` per step), `context`,
 * `chat {generator}` (the local answer) and `grounding`. GenAI semantic conventions
 * (`gen_ai.operation.name`, `gen_ai.provider.name`, `gen_ai.request.model`, `gen_ai.usage.*`,
 * `gen_ai.tool.*`), flm's own attributes under `flm.*`.
 */
export function emitRunSpans(
  tracer: Tracer,
  run: RunTrace,
  info: RunTelemetryInfo,
  options: RunSpanOptions = {},
): void {
  const content = options.recordContent === "pseudonymized";
  const runStart = Date.parse(run.startedAt);
  const starts = run.stageStarts ?? {};
  const stageEnd = (stage: StageName) => {
    const start = starts[stage];
    const ms = run.stages[stage];
    return start !== undefined && ms !== undefined ? start + ms : undefined;
  };
  // The run's own clock and the stages' differ by a fraction of a millisecond: the root spans them all.
  let runEnd = runStart + (run.stages.total ?? Math.max(0, Date.now() - runStart));
  const seen = (end: number) => {
    runEnd = Math.max(runEnd, end);
  };
  const planner = plannerModel(run.planner);
  const cloud = run.usage.cloud;
  const local = run.usage.local;
  const blocked = run.egress.filter((e) => e.decision === "blocked").length;

  const root = tracer.startSpan(`invoke_agent ${info.agent}`, {
    kind: SpanKind.INTERNAL,
    startTime: runStart,
    attributes: {
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.provider.name": "flm",
      "gen_ai.system": "flm",
      "gen_ai.agent.name": info.agent,
      "gen_ai.request.model": info.agent,
      "gen_ai.usage.input_tokens": cloud.inputTokens + local.inputTokens,
      "gen_ai.usage.output_tokens": cloud.outputTokens + local.outputTokens,
      "flm.run.id": run.id,
      "flm.planner": run.planner,
      "flm.steps": run.steps.length,
      "flm.repairs": run.repairs,
      "flm.egress.requests": run.egress.length,
      "flm.egress.bytes": run.egress.reduce((n, e) => n + e.bytes, 0),
      "flm.egress.blocked": blocked,
      "flm.usage.cloud.input_tokens": cloud.inputTokens,
      "flm.usage.cloud.output_tokens": cloud.outputTokens,
      "flm.usage.local.input_tokens": local.inputTokens,
      "flm.usage.local.output_tokens": local.outputTokens,
    },
  });
  if (info.errorCode) {
    root.setAttribute("error.type", info.errorCode);
    root.setStatus({ code: SpanStatusCode.ERROR, message: info.errorCode });
  }
  const inRoot = traceApi.setSpan(context.active(), root);

  const child = (
    parent: Context,
    name: string,
    start: number,
    end: number,
    attributes: Attributes,
    kind = SpanKind.INTERNAL,
    errorCode?: string,
  ): Span => {
    const span = tracer.startSpan(name, { kind, startTime: start, attributes }, parent);
    if (errorCode) span.setStatus({ code: SpanStatusCode.ERROR, message: errorCode });
    span.end(Math.max(start, end));
    seen(Math.max(start, end));
    return span;
  };
  const stage = (name: StageName, attributes: Attributes, spanName: string = name) => {
    const start = starts[name];
    const end = stageEnd(name);
    if (start === undefined || end === undefined) return undefined;
    seen(end);
    const span = tracer.startSpan(
      spanName,
      { startTime: start, attributes: { "flm.stage": name, ...attributes } },
      inRoot,
    );
    return { span, start, end, context: traceApi.setSpan(inRoot, span) };
  };

  const pseudonymize = stage("pseudonymize", {});
  pseudonymize?.span.end(pseudonymize.end);

  const plan = stage(
    "plan",
    {
      "gen_ai.operation.name": "plan",
      "gen_ai.provider.name": planner.provider,
      "gen_ai.agent.name": info.agent,
      "gen_ai.request.model": planner.model,
      "flm.planner.location": planner.location,
      ...usageAttributes(cloud),
      ...(content && run.plan ? { "flm.plan": JSON.stringify(run.plan) } : {}),
    },
    `plan ${info.agent}`,
  );
  const egressParent = plan?.context ?? inRoot;
  run.egress.forEach((record: EgressRecord, i) => {
    const start = Date.parse(record.at);
    const next = run.egress[i + 1];
    const end = next ? Date.parse(next.at) : (plan?.end ?? start);
    child(
      egressParent,
      `chat ${planner.model}`,
      start,
      end,
      {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": planner.provider,
        "gen_ai.system": planner.provider,
        "gen_ai.request.model": planner.model,
        ...serverAttributes(record),
        "flm.egress.purpose": record.purpose,
        "flm.egress.bytes": record.bytes,
        "flm.egress.sha256": record.sha256,
        "flm.egress.decision": record.decision,
        ...(record.decision === "blocked"
          ? { "flm.egress.blocked_types": [...new Set(record.hits.map((h) => h.type))].join(",") }
          : {}),
        ...(run.egress.length === 1 ? usageAttributes(cloud) : {}),
        ...(content && record.decision === "allowed" ? messageAttribute(record.body) : {}),
      },
      SpanKind.CLIENT,
      record.decision === "blocked" ? "EGRESS_BLOCKED" : undefined,
    );
  });
  plan?.span.end(plan.end);

  const execute = stage("execute", { "flm.steps": run.steps.length });
  for (const step of run.steps) {
    const start = step.startedAtMs ?? execute?.start ?? runStart;
    const span = tracer.startSpan(
      `execute_tool ${step.tool}`,
      {
        startTime: start,
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": step.tool,
          "gen_ai.tool.call.id": step.id,
          "gen_ai.tool.type": "function",
          "flm.step.status": step.status,
          ...(step.truncated ? { "flm.step.truncated": true } : {}),
          ...(content ? { "gen_ai.tool.call.arguments": JSON.stringify(step.args) } : {}),
        },
      },
      execute?.context ?? inRoot,
    );
    if (step.error) {
      span.setAttribute("error.type", step.error.code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: step.error.code });
    }
    span.end(start + step.durationMs);
    seen(start + step.durationMs);
  }
  execute?.span.end(execute.end);

  const ctx = run.context;
  const contextStage = stage(
    "context",
    ctx
      ? {
          "flm.context.tokens": ctx.tokens,
          "flm.context.budget": ctx.budget,
          "flm.context.strategy": ctx.strategy,
          "flm.context.included_steps": ctx.includedSteps.length,
          "flm.context.dropped_steps": ctx.droppedSteps.length,
        }
      : {},
  );
  contextStage?.span.end(contextStage.end);

  const generator = options.generators?.[info.agent];
  const answer = stage(
    "answer",
    {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": generator?.provider ?? "local",
      "gen_ai.system": generator?.provider ?? "local",
      ...(generator ? { "gen_ai.request.model": generator.model } : {}),
      ...usageAttributes(local),
    },
    `chat ${generator?.model ?? "local"}`,
  );
  answer?.span.end(answer.end);

  const groundingMs = run.stages.grounding;
  if (groundingMs !== undefined) {
    const start = starts.grounding ?? answer?.end ?? runEnd - groundingMs;
    child(inRoot, "grounding", start, start + groundingMs, { "flm.stage": "grounding" });
  }
  root.end(runEnd);
}

/** `server.address` and `server.port` of the endpoint a request went to. */
function serverAttributes(record: EgressRecord): Attributes {
  try {
    const url = new URL(record.url);
    const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
    return { "server.address": url.hostname, "server.port": port };
  } catch {
    return { "server.address": record.host };
  }
}

function messageAttribute(body: string): Attributes {
  const messages = messagesOf(body);
  return messages === undefined ? {} : { "gen_ai.input.messages": messages };
}
