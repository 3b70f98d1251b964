import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { newRunTrace, type RunTrace } from "../core/trace.js";
import { openTelemetry, tracesUrl } from "./open-telemetry.js";
import { emitRunSpans, plannerModel, type RecordContent } from "./run-spans.js";

const SECRET = "SECRETVALUE-55aa";

function sampleTrace(): RunTrace {
  const t = newRunTrace("run-1", "cloud:openai.chat/gpt-5-mini (compact)");
  const t0 = Date.parse(t.startedAt);
  t.stageStarts = { pseudonymize: t0, plan: t0 + 2, execute: t0 + 50, context: t0 + 80, answer: t0 + 81 };
  t.stages = { pseudonymize: 1.5, plan: 40, execute: 25, context: 0.5, answer: 30, total: 112 };
  t.usage = { cloud: { inputTokens: 300, outputTokens: 20 }, local: { inputTokens: 90, outputTokens: 7 } };
  t.plan = { mode: "json", steps: [{ id: "s1", tool: "find_customer", args: { name: "<PERSON_1>" } }] };
  t.steps = [
    {
      id: "s1",
      tool: "find_customer",
      args: { name: "<PERSON_1>" },
      status: "ok",
      durationMs: 12,
      startedAtMs: t0 + 51,
    },
    {
      id: "s2",
      tool: "orders",
      args: { id: { $ref: "s1", path: "rows[0].id" } },
      status: "failed",
      durationMs: 3,
      startedAtMs: t0 + 64,
      error: { code: "SQL_FAILED", message: `no such row ${SECRET}` },
    },
  ];
  t.egress = [
    {
      url: "https://api.openai.com/v1/chat/completions",
      host: "api.openai.com",
      purpose: "plan",
      body: JSON.stringify({
        model: "gpt-5-mini",
        messages: [{ role: "user", content: "orders of <PERSON_1>?" }],
      }),
      bytes: 90,
      sha256: "ab".repeat(32),
      decision: "allowed",
      hits: [],
      at: new Date(t0 + 3).toISOString(),
    },
    {
      url: "https://api.openai.com/v1/chat/completions",
      host: "api.openai.com",
      purpose: "repair",
      body: "[blocked: not sent]",
      bytes: 120,
      sha256: "cd".repeat(32),
      decision: "blocked",
      hits: [{ type: "EMAIL", origin: "s1" }],
      at: new Date(t0 + 30).toISOString(),
    },
  ];
  t.context = { includedSteps: ["s1"], droppedSteps: [], tokens: 400, budget: 2000, strategy: "direct" };
  return t;
}

function spansOf(trace: RunTrace, recordContent: RecordContent, errorCode?: string) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  emitRunSpans(
    provider.getTracer("t"),
    trace,
    { agent: "crm", errorCode },
    {
      recordContent,
      generators: { crm: { provider: "ollama", model: "qwen2.5:3b" } },
    },
  );
  return exporter.getFinishedSpans();
}

describe("run spans (GenAI conventions)", () => {
  it("names planner models as provider and model", () => {
    expect(plannerModel("cloud:openai.chat/gpt-5-mini (compact)")).toEqual({
      location: "cloud",
      provider: "openai",
      model: "gpt-5-mini",
    });
    expect(plannerModel("local:ollama/qwen2.5:3b")).toMatchObject({
      location: "local",
      provider: "ollama",
      model: "qwen2.5:3b",
    });
    expect(plannerModel("something else")).toMatchObject({ provider: "unknown" });
  });

  it("a run and its stages, with tokens, errors and the blocked request, and no content by default", () => {
    const spans = spansOf(sampleTrace(), "none", "EGRESS_BLOCKED");
    const byName = new Map(spans.map((s) => [s.name, s]));
    const root = byName.get("invoke_agent crm")!;
    expect(root.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.usage.input_tokens": 390,
      "error.type": "EGRESS_BLOCKED",
      "flm.egress.blocked": 1,
    });
    expect(root.status, JSON.stringify(root.status)).toMatchObject({ code: 2 });
    const rootId = root.spanContext().spanId;
    const plan = byName.get("plan crm")!;
    expect(plan.parentSpanContext?.spanId).toBe(rootId);
    expect(plan.attributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-5-mini",
    });
    const calls = spans.filter((s) => s.name === "chat gpt-5-mini");
    expect(calls.map((s) => s.attributes["flm.egress.decision"])).toEqual(["allowed", "blocked"]);
    expect(calls[1]!.attributes["flm.egress.blocked_types"]).toBe("EMAIL");
    expect(calls[1]!.status.code).toBe(2);
    expect(calls[0]!.attributes).toMatchObject({ "server.address": "api.openai.com", "server.port": 443 });
    const failed = byName.get("execute_tool orders")!;
    expect(failed.attributes["error.type"]).toBe("SQL_FAILED");
    expect(failed.parentSpanContext?.spanId).toBe(byName.get("execute")!.spanContext().spanId);
    expect(byName.get("chat qwen2.5:3b")!.attributes).toMatchObject({
      "gen_ai.provider.name": "ollama",
      "gen_ai.usage.output_tokens": 7,
    });
    const all = JSON.stringify(spans.map((s) => ({ a: s.attributes, st: s.status, e: s.events })));
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain("<PERSON_1>");
    expect(all).not.toContain("gen_ai.input.messages");
    expect(all).not.toContain("gen_ai.tool.call.arguments");
  });

  it("pseudonymized: what the cloud saw (allowed requests' messages, planned arguments), never a blocked body or an error message", () => {
    const spans = spansOf(sampleTrace(), "pseudonymized");
    const calls = spans.filter((s) => s.name === "chat gpt-5-mini");
    expect(JSON.parse(String(calls[0]!.attributes["gen_ai.input.messages"]))).toEqual([
      { role: "user", content: "orders of <PERSON_1>?" },
    ]);
    expect(calls[1]!.attributes["gen_ai.input.messages"]).toBeUndefined();
    const tool = spans.find((s) => s.name === "execute_tool find_customer")!;
    expect(tool.attributes["gen_ai.tool.call.arguments"]).toBe('{"name":"<PERSON_1>"}');
    const all = JSON.stringify(spans.map((s) => ({ a: s.attributes, st: s.status })));
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain("blocked: not sent");
  });

  it("loads no SDK without an endpoint; the traces URL is completed", async () => {
    expect(await openTelemetry({})).toBeUndefined();
    expect(tracesUrl("http://collector:4318")).toBe("http://collector:4318/v1/traces");
    expect(tracesUrl("http://collector:4318/v1/traces/")).toBe("http://collector:4318/v1/traces");
  });
});
