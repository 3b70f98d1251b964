/**
 * Executing the plan while it streams, end to end through createAgent: a real OpenAI-protocol fake
 * cloud that decodes the plan token by token, real tools, a fake local model.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { reply } from "../../test/helpers/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import type { AgentEvent } from "../core/events.js";
import { isFlmError } from "../errors/flm-error.js";
import { createPrivacy } from "../privacy/agent-privacy.js";
import { defineTool } from "../tools/define-tool.js";
import { createAgent } from "./create-agent.js";

const CANARY = "CANARY-41ab-otter";
let models: FakeModels;
let calls: Array<{ tool: string; at: number; args: unknown }>;
let t0: number;
beforeEach(async () => {
  models = await startFakeModels();
  calls = [];
  t0 = performance.now();
});
afterEach(() => models.close());

const tool = (name: string, sideEffects = false) =>
  defineTool({
    name,
    description: `${name} lookup`,
    input: z.object({ city: z.string().optional(), id: z.number().optional() }),
    sideEffects,
    run: async (args) => {
      calls.push({ tool: name, at: performance.now() - t0, args });
      await new Promise((r) => setTimeout(r, 20));
      return { rows: [{ id: 7, city: args.city ?? "?", note: CANARY }] };
    },
  });
const tools = [tool("find_customer"), tool("weather"), tool("book_visit", true)];
const agent = (extra: Partial<Parameters<typeof createAgent>[0]> = {}) =>
  createAgent({ planner: models.planner, generator: models.generator, tools, ...extra });
// 30 tokens/s: the long last line takes about a second to decode.
const slow = { tokensPerSec: 30 };
const LONG = "Lisbon, the capital of Portugal on the Atlantic coast, where the river Tagus meets the sea";

async function collect(stream: AsyncIterable<AgentEvent>) {
  const events: Array<AgentEvent & { t: number }> = [];
  for await (const e of stream) events.push({ ...e, t: performance.now() - t0 });
  return events;
}

describe("executing the plan while it streams", () => {
  it("starts a step as soon as its line has arrived, long before the plan ends", async () => {
    models.cloud.enqueue(reply.text(`s1 = find_customer(city="Oslo")\ns2 = weather(city="${LONG}")`, slow));
    models.local.enqueue(reply.text("Done [s1] [s2]."));
    const events = await collect(agent().stream("customers in Oslo, weather in Lisbon"));
    const planAt = events.find((e) => e.type === "plan")!.t;
    const s1Start = events.find((e) => e.type === "tool-start" && e.step.id === "s1")!;
    expect(s1Start.type === "tool-start" && s1Start.planning).toBe(true);
    expect(planAt - s1Start.t).toBeGreaterThan(300);
    expect(calls.map((c) => c.tool)).toEqual(["find_customer", "weather"]);
    const result = events.find((e) => e.type === "done")!;
    if (result.type !== "done") throw new Error("no result");
    const { trace } = result.result;
    // Both started before the planner's call was over (s2 as soon as its closing parenthesis arrived).
    expect(trace.planStream!.startedBeforeComplete).toBe(2);
    expect(trace.planStream!.firstStepMs!).toBeLessThan(trace.planStream!.completeMs - 300);
    expect(trace.steps[0].startMs!).toBeLessThan(trace.planStream!.completeMs);
    expect(trace.steps[0].arrivedMs!).toBeLessThanOrEqual(trace.steps[0].startMs!);
    expect(trace.steps[1].startMs!).toBeGreaterThanOrEqual(trace.steps[1].arrivedMs!);
  });

  it("holds a tool with side effects until the whole plan is validated", async () => {
    models.cloud.enqueue(reply.text(`s1 = book_visit(city="Oslo")\ns2 = weather(city="${LONG}")`, slow));
    models.local.enqueue(reply.text("Booked [s1]."));
    const events = await collect(agent().stream("book a visit in Oslo"));
    const types = events.map((e) => (e.type === "tool-start" ? `start ${e.step.id}` : e.type));
    expect(types.indexOf("start s1")).toBeGreaterThan(types.indexOf("plan"));
    expect(types.indexOf("start s2")).toBeLessThan(types.indexOf("start s1")); // read-only: it did not wait
    const booked = events.find((e) => e.type === "tool-start" && e.step.id === "s1");
    expect(booked?.type === "tool-start" && booked.planning).toBe(false);
  });

  it("repairs a plan that turns out invalid after a step ran, without running that step again", async () => {
    const privacy = createPrivacy({ canaries: [CANARY], ner: false });
    const planner = createOpenAI({
      baseURL: models.cloud.url,
      apiKey: "k",
      fetch: privacy.cloudFetch(),
    }).chat("m");
    const planned = agent({ privacy, planner });
    models.cloud.enqueue(
      reply.text('s1 = find_customer(city="Oslo")\ns2 = weather(city=42)', slow),
      reply.text('s1 = find_customer(city="Oslo")\ns2 = weather(city="Oslo")', slow),
    );
    models.local.enqueue(reply.text("Done [s1] [s2]."));
    const events = await collect(planned.stream("customers and weather in Oslo"));
    const done = events.at(-1)!;
    expect(done.type).toBe("done");
    expect(events.filter((e) => e.type === "repair")).toHaveLength(1);
    // s1 ran during the first, invalid plan; the repaired plan took its result over.
    expect(calls.map((c) => c.tool)).toEqual(["find_customer", "weather"]);
    if (done.type === "done") expect(done.result.steps.map((s) => s.status)).toEqual(["ok", "ok"]);
    // The repair request carries the issue and the planner's own text, never a result.
    expect(models.cloud.requests).toHaveLength(2);
    const repair = models.cloud.requests[1].body;
    expect(repair).toContain("argument /");
    expect(models.cloud.allBodies()).not.toContain(CANARY);
    expect(models.local.allBodies()).toContain(CANARY);
  });

  it("cancels what started when the plan stays invalid, and never asks the local model", async () => {
    models.cloud.handle(() =>
      reply.text(`s1 = find_customer(city="Oslo")\ns2 = teleport(to="${LONG}")`, slow),
    );
    const error = await agent({ limits: { maxRepairs: 1 } })
      .run("x")
      .catch((e) => e);
    expect(isFlmError(error, "PLAN_INVALID")).toBe(true);
    expect(models.local.requests).toHaveLength(0);
    expect(calls.filter((c) => c.tool === "find_customer").length).toBeGreaterThan(0);
  });

  it("with streamPlan off, starts nothing before the plan is whole", async () => {
    models.cloud.enqueue(reply.text(`s1 = find_customer(city="Oslo")\ns2 = weather(city="${LONG}")`, slow));
    models.local.enqueue(reply.text("Done [s1]."));
    const events = await collect(agent({ latency: { streamPlan: false } }).stream("q"));
    expect(events.some((e) => e.type === "plan-step")).toBe(false);
    const types = events.map((e) => e.type);
    expect(types.indexOf("tool-start")).toBeGreaterThan(types.indexOf("plan"));
    const done = events.at(-1)!;
    if (done.type === "done") expect(done.result.trace.planStream!.startedBeforeComplete).toBe(0);
  });
});
