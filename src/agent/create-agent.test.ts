import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { reply } from "../testing/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import { isFlmError } from "../errors/flm-error.js";
import { createModelPlanner } from "../plan/model-planner.js";
import { defineTool } from "../tools/define-tool.js";
import { createAgent } from "./create-agent.js";
import type { AgentEvent } from "../core/events.js";
import type { RunTrace } from "../core/trace.js";
import { createPrivacy } from "../privacy/agent-privacy.js";

let models: FakeModels;
beforeEach(async () => {
  models = await startFakeModels();
});
afterEach(async () => {
  await models.close();
});

const calls: Array<{ tool: string; args: unknown }> = [];
const findCustomer = defineTool({
  name: "find_customer",
  description: "Find customers by city",
  input: z.object({ city: z.string() }),
  run: async (args) => {
    calls.push({ tool: "find_customer", args });
    return { rows: [{ customer_id: 17, name: "Hannah Schneider" }] };
  },
});
const invoices = defineTool({
  name: "list_invoices",
  description: "Invoices of a customer",
  input: z.object({ customer_id: z.number() }),
  run: async (args) => {
    calls.push({ tool: "list_invoices", args });
    return { rows: [{ invoice_id: 1, total: 13.86 }] };
  },
});
const weather = defineTool({
  name: "weather",
  description: "Weather in a city",
  input: z.object({ city: z.string() }),
  run: async () => ({ sky: "clear" }),
});

function agent(extra: Partial<Parameters<typeof createAgent>[0]> = {}) {
  return createAgent({
    planner: models.planner,
    generator: models.generator,
    tools: [findCustomer, invoices, weather],
    ...extra,
  });
}

const dependentPlan = {
  steps: [
    { id: "s1", tool: "find_customer", args: { city: "Berlin" } },
    { id: "s2", tool: "list_invoices", args: { customer_id: { $ref: "s1", path: "rows[0].customer_id" } } },
    { id: "s3", tool: "weather", args: { city: "Berlin" } },
  ],
};

describe("createAgent", () => {
  it("plans in the cloud, runs dependent and parallel steps locally, and answers locally with citations", async () => {
    calls.length = 0;
    models.cloud.enqueue(reply.json(dependentPlan, { usage: { prompt_tokens: 300, completion_tokens: 40 } }));
    models.local.enqueue(
      reply.text("Hannah Schneider spent 13.86 [s1] [s2].", {
        usage: { prompt_tokens: 120, completion_tokens: 12 },
      }),
    );
    const result = await agent().run("Which customer in Berlin spent most?", {
      user: { id: "u1", roles: ["analyst"] },
    });

    expect(result.text).toBe("Hannah Schneider spent 13.86 [s1] [s2].");
    expect(result.citations).toEqual(["s1", "s2"]);
    expect(calls).toContainEqual({ tool: "list_invoices", args: { customer_id: 17 } });
    expect(result.trace.steps.map((s) => s.status)).toEqual(["ok", "ok", "ok"]);
    expect(result.trace.usage.cloud).toEqual({ inputTokens: 300, outputTokens: 40 });
    expect(result.trace.usage.local).toEqual({ inputTokens: 120, outputTokens: 12 });
    // The trace holds exactly the bytes the cloud received.
    expect(result.trace.egress.map((e) => e.body)).toEqual(models.cloud.requests.map((r) => r.body));
    expect(result.trace.egress[0].purpose).toBe("plan");
    for (const stage of ["plan", "execute", "context", "answer", "total"] as const)
      expect(result.trace.stages[stage]).toBeGreaterThanOrEqual(0);

    // The planner got the prompt, the date and the tool schemas; the generator got the data.
    const plannerBody = models.cloud.requests[0].body;
    expect(plannerBody).toContain("Which customer in Berlin spent most?");
    expect(plannerBody).toMatch(/Today is \d{4}-\d{2}-\d{2}/);
    expect(plannerBody).toContain("list_invoices");
    expect(plannerBody).not.toContain("Hannah");
    const localBody = models.local.requests[0].body;
    expect(localBody).toContain("Hannah Schneider");
    expect(localBody).toContain("[s2] list_invoices(customer_id=17)");
  });

  it("streams events in order: plan steps, tool events, plan, context, text deltas, done", async () => {
    models.cloud.enqueue(reply.json(dependentPlan));
    models.local.enqueue(reply.text("One two three [s1]"));
    const events: AgentEvent[] = [];
    for await (const e of agent().stream("q")) events.push(e);
    const types = events.map((e) => e.type);
    // Steps arrive from the planner's stream first; the validated plan follows before the context.
    expect(types[0]).toBe("plan-step");
    expect(types.filter((t) => t === "plan-step")).toHaveLength(3);
    expect(types.filter((t) => t === "plan")).toHaveLength(1);
    expect(types.indexOf("context")).toBeGreaterThan(types.indexOf("plan"));
    expect(types.filter((t) => t === "tool-start")).toHaveLength(3);
    expect(types.filter((t) => t === "tool-end")).toHaveLength(3);
    expect(types.indexOf("context")).toBeGreaterThan(types.lastIndexOf("tool-end"));
    expect(types.filter((t) => t === "text-delta").length).toBeGreaterThan(1);
    expect(types.at(-1)).toBe("done");
    // s2 starts only after s1 ended.
    const s1End = events.findIndex((e) => e.type === "tool-end" && e.outcome.step.id === "s1");
    const s2Start = events.findIndex((e) => e.type === "tool-start" && e.step.id === "s2");
    expect(s2Start).toBeGreaterThan(s1End);
  });

  it("accepts native parallel tool calls as a plan", async () => {
    models.cloud.enqueue(
      reply.toolCalls([
        { name: "weather", args: { city: "Oslo" } },
        { name: "find_customer", args: { city: "Oslo" } },
      ]),
    );
    models.local.enqueue(reply.text("Clear [s1]"));
    const result = await agent({ plannerMode: "tool-calls" }).run("weather and customers in Oslo");
    expect(result.trace.plan?.mode).toBe("tool-calls");
    expect(result.trace.plan?.steps.map((s) => s.tool)).toEqual(["weather", "find_customer"]);
    expect(models.cloud.requests[0].json.tools).toHaveLength(3);
  });

  it("answers without tools when the plan is empty", async () => {
    models.cloud.enqueue(reply.json({ steps: [] }));
    models.local.enqueue(reply.text("Hello!"));
    const result = await agent().run("hi");
    expect(result.steps).toEqual([]);
    expect(result.text).toBe("Hello!");
    expect(models.local.requests[0].body).toContain("no lookups were needed");
  });

  it("repairs an invalid plan with a data-free description of the problem", async () => {
    models.cloud.enqueue(
      reply.json({
        steps: [
          { id: "s1", tool: "find_customers", args: { city: "Berlin" } },
          { id: "s2", tool: "list_invoices", args: { customer_id: "x" } },
        ],
      }),
      reply.json(dependentPlan),
    );
    models.local.enqueue(reply.text("ok"));
    const events: AgentEvent[] = [];
    for await (const e of agent().stream("q")) events.push(e);
    const repair = events.find((e) => e.type === "repair");
    expect(repair).toMatchObject({ attempt: 1 });
    const repairBody = models.cloud.requests[1].json.messages.at(-1).content as string;
    expect(repairBody).toContain('unknown tool "find_customers"');
    expect(repairBody).toContain("/customer_id");
    expect(events.find((e) => e.type === "plan")).toMatchObject({ repairs: 1 });
  });

  it("fails with PLAN_INVALID after maxRepairs, for every kind of bad planner output", async () => {
    const bad = [
      reply.text("Sure! I would look up the customers."),
      reply.json({ plan: [] }),
      reply.text(""),
      reply.text(`{"steps": [${'{"id":"s1","tool":"weather","args":{"city":"x"}},'.repeat(5000)}]}`),
      reply.json({
        steps: [
          { id: "s1", tool: "weather", args: { city: { $ref: "s2" } } },
          { id: "s2", tool: "weather", args: { city: { $ref: "s1" } } },
        ],
      }),
      reply.json({ steps: [{ id: "s1", tool: "weather", args: { city: { $ref: "s9" } } }] }),
      reply.json({
        steps: [
          { id: "s1", tool: "weather", args: { city: "x" } },
          { id: "s2", tool: "weather", args: { city: { $ref: "s1", path: "a..b" } } },
        ],
      }),
    ];
    models.cloud.handle(() => bad.shift() ?? reply.text("nothing"));
    const a = agent({ plannerMode: "json", limits: { maxRepairs: 6, maxSteps: 10 } });
    const error = await a.run("q").catch((e) => e);
    expect(isFlmError(error, "PLAN_INVALID")).toBe(true);
    expect(models.cloud.requests).toHaveLength(7);
    const feedback = models.cloud.requests
      .slice(1)
      .map((r) => r.json.messages.at(-1).content)
      .join("\n");
    for (const expected of [
      "not valid JSON",
      '"steps" array',
      "empty",
      "characters long",
      "cycle",
      "does not exist",
    ]) {
      expect(feedback).toContain(expected);
    }
    expect(error.issues.map((i: { kind: string }) => i.kind)).toEqual(["bad-path"]);
    expect(models.local.requests).toHaveLength(0);
  });

  it("rejects plans with more steps than allowed", async () => {
    const steps = Array.from({ length: 4 }, (_, i) => ({
      id: `s${i + 1}`,
      tool: "weather",
      args: { city: "x" },
    }));
    models.cloud.enqueue(reply.json({ steps }));
    const error = await agent({ limits: { maxSteps: 3, maxRepairs: 0 } })
      .run("q")
      .catch((e) => e);
    expect(isFlmError(error, "PLAN_INVALID")).toBe(true);
    expect(error.issues[0].kind).toBe("too-many-steps");
  });

  it("times out a planner that never answers, with a typed error", async () => {
    models.cloud.enqueue(reply.hang());
    const t0 = Date.now();
    const error = await agent({ limits: { plannerTimeoutMs: 200 } })
      .run("q")
      .catch((e) => e);
    expect(isFlmError(error, "PLANNER_TIMEOUT")).toBe(true);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("reports a failing planner endpoint as PLANNER_FAILED", async () => {
    models.cloud.enqueue(reply.error(500, "upstream broke"));
    const error = await agent()
      .run("q")
      .catch((e) => e);
    expect(isFlmError(error, "PLANNER_FAILED")).toBe(true);
    expect(error.message).toContain("HTTP 500");
  });

  it("falls back to another planner when the cloud is unreachable, and the trace says which ran", async () => {
    models.cloud.enqueue(reply.error(503, "down"));
    models.local.enqueue(
      reply.json({ steps: [{ id: "s1", tool: "weather", args: { city: "Rome" } }] }),
      reply.text("Clear [s1]"),
    );
    const fallbackPlanner = createModelPlanner({ model: models.generator, location: "local" });
    const result = await agent({ fallbackPlanner }).run("weather in Rome");
    expect(result.trace.planner).toBe(fallbackPlanner.name);
    expect(result.trace.planner.startsWith("local:")).toBe(true);
    expect(result.citations).toEqual(["s1"]);
  });

  it("hands the live trace to onTrace, so a failed run's stages and egress can be kept", async () => {
    models.cloud.enqueue(reply.error(500, "upstream broke"));
    let live: RunTrace | undefined;
    const error = await agent()
      .run("Where is Hannah?", { runId: "r-failed", onTrace: (t) => (live = t) })
      .catch((e) => e);
    expect(isFlmError(error, "PLANNER_FAILED")).toBe(true);
    expect(live?.id).toBe("r-failed");
    expect(live?.plannerPrompt).toBe("Where is Hannah?");
    expect(live?.egress.length).toBeGreaterThan(0);
    expect(live?.egress[0]).toMatchObject({ purpose: "plan", decision: "allowed" });
    expect(live?.stages.plan).toBeGreaterThan(0);
  });

  it("records the prompt as the planner saw it: pseudonymized when privacy is on", async () => {
    const privacy = createPrivacy({
      ner: false,
      sensitiveValues: [{ type: "PERSON", value: "Hannah Schneider", origin: "crm.customers.name" }],
    });
    const { createOpenAI } = await import("@ai-sdk/openai");
    const planner = createOpenAI({
      baseURL: models.cloud.url,
      apiKey: "k",
      fetch: privacy.cloudFetch(),
    }).chat("p");
    models.cloud.enqueue(reply.json({ steps: [] }));
    models.local.enqueue(reply.text("No idea."));
    const result = await agent({ planner, privacy }).run("What did Hannah Schneider buy?");
    expect(result.trace.plannerPrompt).toBe("What did <PERSON_1> buy?");
    expect(models.cloud.allBodies()).toContain("What did <PERSON_1> buy?");
  });

  it("fails with GENERATOR_FAILED when the local model breaks mid-stream", async () => {
    models.cloud.enqueue(reply.json(dependentPlan));
    models.local.enqueue(reply.streamThenFail("This answer will be cut off somewhere in the middle"));
    const deltas: string[] = [];
    const error = await (async () => {
      for await (const e of agent().stream("q")) if (e.type === "text-delta") deltas.push(e.text);
    })().catch((e) => e);
    expect(isFlmError(error, "GENERATOR_FAILED")).toBe(true);
    expect(deltas.length).toBeGreaterThan(0);
  });

  it("times out a generator that never answers", async () => {
    models.cloud.enqueue(reply.json({ steps: [] }));
    models.local.enqueue(reply.hang());
    const error = await agent({ limits: { answerTimeoutMs: 200 } })
      .run("q")
      .catch((e) => e);
    expect(isFlmError(error, "GENERATOR_FAILED")).toBe(true);
  });

  it("cancels running tools when the caller aborts", async () => {
    let aborted = false;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow = defineTool({
      name: "slow",
      description: "slow",
      input: z.object({}),
      run: (_a, { signal }) =>
        new Promise((_, reject) => {
          started();
          signal.addEventListener("abort", () => {
            aborted = true;
            reject(signal.reason);
          });
        }),
    });
    models.cloud.enqueue(reply.json({ steps: [{ id: "s1", tool: "slow", args: {} }] }));
    const controller = new AbortController();
    const a = createAgent({ planner: models.planner, generator: models.generator, tools: [slow] });
    const pending = a.run("q", { signal: controller.signal }).catch((e) => e);
    await running;
    controller.abort();
    const error = await pending;
    expect(isFlmError(error, "RUN_CANCELLED")).toBe(true);
    expect(aborted).toBe(true);
    expect(models.local.requests).toHaveLength(0);
  });

  it("sends only earlier user turns to the planner, never earlier answers", async () => {
    models.cloud.enqueue(reply.json({ steps: [] }));
    models.local.enqueue(reply.text("ok"));
    await agent().run("and in Paris?", {
      history: [
        { role: "user", content: "How many customers in Berlin?" },
        { role: "assistant", content: "There are 2: Hannah Schneider and Niklas Schröder [s1]." },
      ],
    });
    expect(models.cloud.requests[0].body).toContain("How many customers in Berlin?");
    expect(models.cloud.requests[0].body).not.toContain("Hannah");
    expect(models.local.requests[0].body).toContain("Hannah");
  });

  it("dry-run plan() runs no tool and no local model", async () => {
    calls.length = 0;
    models.cloud.enqueue(reply.json(dependentPlan));
    const { plan, trace } = await agent().plan("q");
    expect(plan.steps).toHaveLength(3);
    expect(calls).toHaveLength(0);
    expect(models.local.requests).toHaveLength(0);
    expect(trace.egress).toHaveLength(1);
  });

  it("refuses an empty prompt and duplicate tool names with clear errors", async () => {
    await expect(agent().run("  ")).rejects.toMatchObject({ code: "PROMPT_EMPTY" });
    const dup = createAgent({
      planner: models.planner,
      generator: models.generator,
      tools: [weather, weather],
    });
    await expect(dup.run("q")).rejects.toMatchObject({ code: "TOOL_NAME_CONFLICT" });
  });
});
