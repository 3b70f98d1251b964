/**
 * The cloud planner against Anthropic and Google at the protocol level: the real provider
 * packages talk to fake servers that speak each wire format and record every byte.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contractTools, plannerContract } from "../testing/planner-contract.js";
import {
  anthropicReply,
  type FakeAnthropicServer,
  startFakeAnthropicServer,
} from "../testing/fake-anthropic-server.js";
import {
  type FakeGoogleServer,
  googleModelOf,
  googleReply,
  startFakeGoogleServer,
} from "../testing/fake-google-server.js";
import { type FakeOpenAIServer, reply, startFakeOpenAIServer } from "../testing/fake-openai-server.js";
import { createAgent } from "../agent/create-agent.js";
import { isFlmError } from "../errors/flm-error.js";
import { resolveModel } from "../models/resolve-model.js";
import { createPrivacy } from "../privacy/agent-privacy.js";
import { defineTool } from "../tools/define-tool.js";
import { toolSpec } from "../tools/tool.js";
import { renderCompactPlan } from "./compact-plan.js";
import { createModelPlanner } from "./model-planner.js";
import { parsePlan } from "./parse-plan.js";
import type { PlanRequest } from "./planner.js";

type Steps = Array<{ tool: string; args: Record<string, unknown> }>;
type Mode = "json" | "compact" | "tool-calls";
const numbered = (steps: Steps) => steps.map((s, i) => ({ id: `s${i + 1}`, ...s }));
const jsonPlan = (steps: Steps) => ({ steps: numbered(steps) });

async function anthropicFixture(mode: Mode) {
  const server = await startFakeAnthropicServer();
  const model = resolveModel(
    { provider: "anthropic", model: "claude-sonnet-4-5", baseURL: server.url, apiKey: "k" },
    { fetch, env: {} },
  );
  return {
    planner: createModelPlanner({ model, mode }),
    streams: true,
    script: (steps: Steps) =>
      server.enqueue(
        mode === "tool-calls"
          ? anthropicReply.toolUse(steps.map((s) => ({ name: s.tool, input: s.args })))
          : mode === "compact"
            ? anthropicReply.text(renderCompactPlan(numbered(steps)))
            : anthropicReply.json(jsonPlan(steps), { usage: { input_tokens: 50, output_tokens: 9 } }),
      ),
    hang: () => {
      server.enqueue(anthropicReply.hang());
      return { inFlight: server.received(server.requests.length + 1) };
    },
    close: () => server.close(),
  };
}

async function googleFixture(mode: Mode) {
  const server = await startFakeGoogleServer();
  const model = resolveModel(
    { provider: "google", model: "gemini-2.5-pro", baseURL: server.url, apiKey: "k" },
    { fetch, env: {} },
  );
  return {
    planner: createModelPlanner({ model, mode }),
    streams: true,
    script: (steps: Steps) =>
      server.enqueue(
        mode === "tool-calls"
          ? googleReply.functionCalls(steps.map((s) => ({ name: s.tool, args: s.args })))
          : mode === "compact"
            ? googleReply.text(renderCompactPlan(numbered(steps)))
            : googleReply.json(jsonPlan(steps), { usage: { promptTokenCount: 50, candidatesTokenCount: 9 } }),
      ),
    hang: () => {
      server.enqueue(googleReply.hang());
      return { inFlight: server.received(server.requests.length + 1) };
    },
    close: () => server.close(),
  };
}

plannerContract("Anthropic, JSON plan", () => anthropicFixture("json"));
plannerContract("Anthropic, native tool_use", () => anthropicFixture("tool-calls"));
plannerContract("Anthropic, compact plan", () => anthropicFixture("compact"));
plannerContract("Google, JSON plan", () => googleFixture("json"));
plannerContract("Google, native functionCall", () => googleFixture("tool-calls"));
plannerContract("Google, compact plan", () => googleFixture("compact"));

const request: PlanRequest = {
  prompt: "Weather in <GPE_1> and customers there?",
  tools: contractTools.map(toolSpec),
  date: "2026-11-26",
  maxSteps: 3,
};
const signal = () => new AbortController().signal;
const cityCalls = [
  { tool: "find_customer", args: { city: "<GPE_1>" } },
  { tool: "weather", args: { city: "<GPE_1>" } },
];

describe("Anthropic wire format", () => {
  let server: FakeAnthropicServer;
  beforeEach(async () => {
    server = await startFakeAnthropicServer();
  });
  afterEach(() => server.close());
  const planner = (mode: Mode, toolDetail?: "signatures" | "schemas") =>
    createModelPlanner({
      model: resolveModel(`anthropic:claude-sonnet-4-5`, {
        fetch,
        env: { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: server.url },
      }),
      mode,
      toolDetail,
    });

  it("sends tool schemas as tools[].input_schema and reads several tool_use blocks as parallel calls", async () => {
    server.enqueue(anthropicReply.toolUse(cityCalls.map((c) => ({ name: c.tool, input: c.args }))));
    const result = await planner("tool-calls").plan(request, { signal: signal() });

    const sent = server.requests[0];
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe("k");
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.json.model).toBe("claude-sonnet-4-5");
    expect(sent.json.stream).toBeUndefined();
    expect(sent.json.tools.map((t: { name: string }) => t.name)).toEqual(["find_customer", "weather"]);
    expect(sent.json.tools[1]).toMatchObject({
      name: "weather",
      description: "Weather in a city",
      input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    });
    expect(sent.json.tool_choice).toEqual({ type: "auto" });
    // The system prompt is a top-level field, not a message.
    expect(JSON.stringify(sent.json.system)).toContain("You plan tool calls for a federated assistant");
    expect(sent.json.messages.at(-1)).toMatchObject({ role: "user" });
    expect(JSON.stringify(sent.json.messages.at(-1))).toContain("<GPE_1>");

    const parsed = parsePlan(result.raw);
    expect(parsed.issues).toEqual([]);
    expect(parsed.plan!.steps.map((s) => [s.tool, s.args])).toEqual(cityCalls.map((c) => [c.tool, c.args]));
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 5 });
  });

  it("in JSON mode sends no tools, only the schemas (or signatures) inside the system prompt", async () => {
    server.enqueue(anthropicReply.json(jsonPlan(cityCalls)));
    const result = await planner("json", "schemas").plan(request, { signal: signal() });
    expect(server.requests[0].json.tools).toBeUndefined();
    expect(JSON.stringify(server.requests[0].json.system)).toContain('\\"city\\":{\\"type\\":\\"string\\"}');
    expect(parsePlan(result.raw).plan!.steps).toHaveLength(2);
    server.enqueue(anthropicReply.json(jsonPlan(cityCalls)));
    await planner("json").plan(request, { signal: signal() });
    expect(JSON.stringify(server.requests[1].json.system)).toContain(
      "- weather(city: string): Weather in a city",
    );
  });

  it("marks the system prompt as a cache breakpoint and reports cache reads", async () => {
    server.enqueue(
      anthropicReply.text(renderCompactPlan(numbered(cityCalls)), {
        usage: { input_tokens: 40, output_tokens: 20, cache_read_input_tokens: 1100 },
      }),
    );
    const result = await planner("compact").plan(request, { signal: signal() });
    const system = server.requests[0].json.system;
    expect(system).toHaveLength(1);
    expect(system[0]).toMatchObject({ type: "text", cache_control: { type: "ephemeral" } });
    expect(system[0].text).toContain("one step per line");
    expect(result.usage.cachedInputTokens).toBe(1100);
    expect(parsePlan(result.raw).plan!.steps.map((s) => s.tool)).toEqual(["find_customer", "weather"]);
    // In tool-use mode the breakpoint covers the tools too (Anthropic caches tools, then system).
    server.enqueue(anthropicReply.toolUse([{ name: "weather", input: { city: "<GPE_1>" } }]));
    await planner("tool-calls").plan(request, { signal: signal() });
    expect(server.requests[1].json.system[0].cache_control).toEqual({ type: "ephemeral" });
  });

  it("turns an API error into a PlannerError with the status", async () => {
    server.enqueue(anthropicReply.error(401, "invalid x-api-key", "authentication_error"));
    const error = await planner("json")
      .plan(request, { signal: signal() })
      .catch((e) => e);
    expect(isFlmError(error)).toBe(true);
    expect(error.message).toContain("HTTP 401");
    expect(error.message).toContain("invalid x-api-key");
  });
});

describe("Google wire format", () => {
  let server: FakeGoogleServer;
  beforeEach(async () => {
    server = await startFakeGoogleServer();
  });
  afterEach(() => server.close());
  const planner = (mode: Mode) =>
    createModelPlanner({
      model: resolveModel(
        { provider: "google", model: "gemini-2.5-pro", baseURL: server.url },
        { fetch, env: { GOOGLE_GENERATIVE_AI_API_KEY: "k" } },
      ),
      mode,
    });

  it("sends tool schemas as tools[].functionDeclarations and reads several functionCall parts as parallel calls", async () => {
    server.enqueue(googleReply.functionCalls(cityCalls.map((c) => ({ name: c.tool, args: c.args }))));
    const result = await planner("tool-calls").plan(request, { signal: signal() });

    const sent = server.requests[0];
    expect(sent.method).toBe("POST");
    expect(googleModelOf(sent.path)).toBe("gemini-2.5-pro");
    expect(sent.headers["x-goog-api-key"]).toBe("k");
    const declarations = sent.json.tools[0].functionDeclarations;
    expect(declarations.map((d: { name: string }) => d.name)).toEqual(["find_customer", "weather"]);
    expect(declarations[0]).toMatchObject({
      name: "find_customer",
      description: "Find customers by city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    });
    // Gemini takes an OpenAPI subset: the SDK drops what it cannot express (additionalProperties).
    expect(declarations[0].parameters.additionalProperties).toBeUndefined();
    expect(sent.json.toolConfig).toEqual({ functionCallingConfig: { mode: "AUTO" } });
    expect(JSON.stringify(sent.json.systemInstruction)).toContain(
      "You plan tool calls for a federated assistant",
    );
    expect(sent.json.contents.at(-1)).toMatchObject({ role: "user", parts: [{ text: request.prompt }] });
    expect(sent.json.generationConfig).toMatchObject({ temperature: 0, maxOutputTokens: 2048 });

    const parsed = parsePlan(result.raw);
    expect(parsed.issues).toEqual([]);
    expect(parsed.plan!.steps.map((s) => [s.tool, s.args])).toEqual(cityCalls.map((c) => [c.tool, c.args]));
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 5 });
  });

  it("in JSON mode sends no tools", async () => {
    server.enqueue(googleReply.json(jsonPlan(cityCalls)));
    const result = await planner("json").plan(request, { signal: signal() });
    expect(server.requests[0].json.tools).toBeUndefined();
    expect(parsePlan(result.raw).plan!.steps).toHaveLength(2);
  });

  it("in compact mode reads plan lines and reports implicitly cached tokens", async () => {
    server.enqueue(
      googleReply.text(renderCompactPlan(numbered(cityCalls)), {
        usage: { promptTokenCount: 1300, candidatesTokenCount: 20, cachedContentTokenCount: 1024 },
      }),
    );
    const result = await planner("compact").plan(request, { signal: signal() });
    expect(JSON.stringify(server.requests[0].json.systemInstruction)).toContain("one step per line");
    expect(result.usage).toEqual({ inputTokens: 1300, outputTokens: 20, cachedInputTokens: 1024 });
    expect(parsePlan(result.raw).plan!.steps.map((s) => s.args)).toEqual(cityCalls.map((c) => c.args));
  });
});

describe("privacy with cloud planners other than OpenAI", () => {
  const CANARY = "CANARY-7f3e-tiger";
  const SECRET_NOTE = "Pays late, prefers Tuesday deliveries";
  let anthropic: FakeAnthropicServer;
  let google: FakeGoogleServer;
  let local: FakeOpenAIServer;
  beforeEach(async () => {
    [anthropic, google, local] = await Promise.all([
      startFakeAnthropicServer(),
      startFakeGoogleServer(),
      startFakeOpenAIServer(),
    ]);
  });
  afterEach(async () => {
    await Promise.all([anthropic.close(), google.close(), local.close()]);
  });

  const ordersCalls: Array<Record<string, unknown>> = [];
  const orders = defineTool({
    name: "orders_by_email",
    description: "Orders of the customer with this email",
    input: {
      type: "object",
      properties: { email: { type: "string" } },
      required: ["email"],
      additionalProperties: false,
    },
    run: async (input: { email: string }) => {
      ordersCalls.push(input);
      return { rows: [{ item: "Standing desk", total: 749.5, voucher: CANARY, note: SECRET_NOTE }] };
    },
  });
  const generator = () => resolveModel(`${local.url}#local-model`);

  it("Anthropic planner, two turns: the canary and tool data never reach Anthropic, placeholders do", async () => {
    const privacy = createPrivacy({ canaries: [CANARY] });
    const agent = createAgent({
      planner: resolveModel(
        { provider: "anthropic", model: "claude-sonnet-4-5", baseURL: anthropic.url, apiKey: "k" },
        { fetch: privacy.cloudFetch() },
      ),
      plannerMode: "tool-calls",
      generator: generator(),
      tools: [orders],
      privacy,
    });
    anthropic.handle((req) => {
      const email = /<EMAIL_\d+>/.exec(JSON.stringify(req.json.messages.at(-1)))?.[0] ?? "missing";
      return anthropicReply.toolUse([{ name: "orders_by_email", input: { email } }]);
    });
    local.enqueue(
      reply.text(`They ordered a standing desk; voucher ${CANARY} [s1].`),
      reply.text("Same order as before [s1]."),
    );
    ordersCalls.length = 0;
    const session = agent.createSession();
    const first = await agent.run("What did maria.keller@acme.de order?", { session });
    const second = await agent.run("Did maria.keller@acme.de pay already?", {
      session,
      history: [
        { role: "user", content: "What did maria.keller@acme.de order?" },
        { role: "assistant", content: first.text },
      ],
    });

    expect(anthropic.requests).toHaveLength(2);
    const cloud = anthropic.allBodies();
    expect(cloud).toContain("<EMAIL_1>");
    for (const leak of [
      CANARY,
      "maria.keller",
      "acme.de",
      "Standing desk",
      "749.5",
      SECRET_NOTE,
      "Pays late",
    ]) {
      expect(cloud).not.toContain(leak);
    }
    // Stable placeholders across turns; the earlier question goes as history, the answer does not.
    const secondBody = JSON.stringify(anthropic.requests[1].json.messages);
    expect(secondBody).toContain("Did <EMAIL_1> pay already?");
    expect(secondBody).toContain("What did <EMAIL_1> order?");
    // The tool ran locally with the real value, and the local model saw its data.
    expect(ordersCalls).toEqual([{ email: "maria.keller@acme.de" }, { email: "maria.keller@acme.de" }]);
    expect(local.allBodies()).toContain(CANARY);
    expect(local.allBodies()).toContain("Standing desk");
    expect(second.steps.map((s) => s.status)).toEqual(["ok"]);
    // The trace holds exactly the bytes Anthropic received.
    expect(second.trace.egress.map((e) => e.body)).toEqual([anthropic.requests[1].body]);
  }, 30_000);

  it("the egress guard blocks a Google request carrying an earlier tool result; nothing reaches Google", async () => {
    const privacy = createPrivacy({ canaries: [CANARY], ner: false });
    let leaked = "";
    const inner = createModelPlanner({
      model: resolveModel(
        { provider: "google", model: "gemini-2.5-pro", baseURL: google.url, apiKey: "k" },
        { fetch: privacy.cloudFetch() },
      ),
    });
    const agent = createAgent({
      // A bug: the prompt builder appends data it should never see.
      planner: {
        name: "broken-google",
        location: "cloud",
        plan: (req, opts) => inner.plan({ ...req, prompt: `${req.prompt}\nPrevious: ${leaked}` }, opts),
      },
      generator: generator(),
      tools: [orders],
      privacy,
    });
    google.enqueue(googleReply.json(jsonPlan([{ tool: "orders_by_email", args: { email: "<EMAIL_1>" } }])));
    local.enqueue(reply.text("A desk [s1]."));
    const session = agent.createSession();
    const first = await agent.run("What did jonas.weber@example.org order?", { session });
    expect(google.requests).toHaveLength(1);
    leaked = (first.steps[0].output as { rows: Array<{ note: string }> }).rows[0].note;

    const error = await agent.run("Anything else?", { session }).catch((e) => e);
    expect(isFlmError(error, "EGRESS_BLOCKED")).toBe(true);
    expect(error.message).toContain("from s1");
    expect(error.message).not.toContain(SECRET_NOTE);
    expect(google.requests).toHaveLength(1); // the blocked request never left
    expect(google.allBodies()).not.toContain(SECRET_NOTE);

    // A canary is refused as well, with no session at all.
    const direct = await inner
      .plan({ ...request, prompt: `Look up ${CANARY}` }, { signal: signal() })
      .catch((e) => e);
    expect(isFlmError(direct, "EGRESS_BLOCKED")).toBe(true);
    expect(google.requests).toHaveLength(1);
  }, 30_000);
});
