import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { describe, expect, it } from "vitest";
import { plannerContract } from "../testing/planner-contract.js";
import { type FakeOpenAIServer, reply, startFakeOpenAIServer } from "../testing/fake-openai-server.js";
import { renderCompactPlan } from "./compact-plan.js";
import { createLocalPlanner } from "./local-planner.js";
import { createModelPlanner } from "./model-planner.js";
import { parsePlan } from "./parse-plan.js";

async function fakeFixture(
  make: (server: FakeOpenAIServer) => ReturnType<typeof createModelPlanner>,
  format: "json" | "compact" | "tool-calls" = "json",
  streams = true,
) {
  const server = await startFakeOpenAIServer();
  const usage = { usage: { prompt_tokens: 50, completion_tokens: 9 } };
  return {
    planner: make(server),
    streams,
    script: (steps: Array<{ tool: string; args: Record<string, unknown> }>) => {
      const numbered = steps.map((s, i) => ({ id: `s${i + 1}`, ...s }));
      server.enqueue(
        format === "tool-calls"
          ? reply.toolCalls(steps.map((s) => ({ name: s.tool, args: s.args })))
          : format === "compact"
            ? reply.text(renderCompactPlan(numbered), usage)
            : reply.json({ steps: numbered }, usage),
      );
    },
    hang: () => {
      server.enqueue(reply.hang());
      return { inFlight: server.received(server.requests.length + 1) };
    },
    close: () => server.close(),
  };
}

plannerContract("cloud model, JSON plan", () =>
  fakeFixture((s) => createModelPlanner({ model: createOpenAI({ baseURL: s.url, apiKey: "k" }).chat("m") })),
);
plannerContract("cloud model, native tool calls", () =>
  fakeFixture(
    (s) =>
      createModelPlanner({
        model: createOpenAI({ baseURL: s.url, apiKey: "k" }).chat("m"),
        mode: "tool-calls",
      }),
    "tool-calls",
  ),
);
plannerContract("cloud model, compact plan", () =>
  fakeFixture(
    (s) =>
      createModelPlanner({ model: createOpenAI({ baseURL: s.url, apiKey: "k" }).chat("m"), mode: "compact" }),
    "compact",
  ),
);
plannerContract("local OpenAI-compatible server with response_format", () =>
  fakeFixture(
    (s) =>
      createLocalPlanner({
        model: createOpenAICompatible({
          name: "local",
          baseURL: s.url,
          supportsStructuredOutputs: true,
        }).chatModel("m"),
      }),
    "json",
    false,
  ),
);

describe("local planner on an OpenAI-compatible server", () => {
  it("asks for the plan's JSON Schema as response_format and renumbers step ids", async () => {
    const server = await startFakeOpenAIServer();
    try {
      const planner = createLocalPlanner({
        model: createOpenAICompatible({
          name: "local",
          baseURL: server.url,
          supportsStructuredOutputs: true,
        }).chatModel("m"),
      });
      server.enqueue(
        reply.json({
          steps: [
            { id: "x", tool: "weather", args: { city: "Rome" } },
            { id: "x", tool: "weather", args: { city: "Oslo" } },
          ],
        }),
      );
      const result = await planner.plan(
        {
          prompt: "weather?",
          date: "2026-11-26",
          maxSteps: 4,
          tools: [
            {
              name: "weather",
              description: "w",
              inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
            },
          ],
        },
        { signal: new AbortController().signal },
      );
      const format = server.requests[0].json.response_format;
      expect(format.type).toBe("json_schema");
      expect(format.json_schema.schema.properties.steps.maxItems).toBe(4);
      expect(format.json_schema.schema.properties.steps.items.properties.tool).toEqual({ const: "weather" });
      expect(
        result.raw.kind === "text" && JSON.parse(result.raw.text).steps.map((s: { id: string }) => s.id),
      ).toEqual(["s1", "s2"]);
      expect(planner.location).toBe("local");
    } finally {
      await server.close();
    }
  });
});

describe("cloud planner on the OpenAI wire format", () => {
  const request = {
    prompt: "Invoices of <PERSON_1>?",
    date: "2026-11-26",
    maxSteps: 4,
    tools: [
      {
        name: "find_customer",
        description: "Customers by name",
        inputSchema: {
          type: "object" as const,
          properties: { name: { type: "string" as const } },
          required: ["name"],
        },
      },
      {
        name: "list_invoices",
        description: "Invoices of customers",
        inputSchema: {
          type: "object" as const,
          properties: { customer_ids: { type: "array" as const, items: { type: "integer" as const } } },
        },
      },
    ],
  };
  const signal = () => new AbortController().signal;

  it("compact mode: asks for plan lines, reads them back with references, reports cached input tokens", async () => {
    const server = await startFakeOpenAIServer();
    try {
      const planner = createModelPlanner({
        model: createOpenAI({ baseURL: server.url, apiKey: "k" }).chat("m"),
        mode: "compact",
      });
      expect(planner.name).toBe("cloud:openai.chat/m (compact)");
      server.enqueue(
        reply.text(
          's1 = find_customer(name="<PERSON_1>")\ns2 = list_invoices(customer_ids=[s1.rows[0].id])',
          {
            usage: {
              prompt_tokens: 1500,
              completion_tokens: 30,
              prompt_tokens_details: { cached_tokens: 1280 },
            },
          },
        ),
      );
      const result = await planner.plan(request, { signal: signal() });
      expect(result.usage).toEqual({ inputTokens: 1500, outputTokens: 30, cachedInputTokens: 1280 });
      expect(result.raw).toMatchObject({ kind: "text", format: "compact" });
      const parsed = parsePlan(result.raw);
      expect(parsed.plan!.mode).toBe("compact");
      expect(parsed.plan!.steps[1].args).toEqual({ customer_ids: [{ $ref: "s1", path: "rows[0].id" }] });

      const sent = server.requests[0].json;
      expect(sent.messages[0].role).toBe("system");
      expect(sent.messages[0].content).toContain("one step per line");
      expect(sent.messages[0].content).toContain(
        "- list_invoices(customer_ids?: integer[]): Invoices of customers",
      );
      expect(sent.messages[0].content).not.toContain('"properties"');
      // A stable cache key per system prompt, so OpenAI routes repeats to the same prompt cache.
      expect(sent.prompt_cache_key).toMatch(/^flm-[0-9a-f]{16}$/);
      server.enqueue(reply.text("NONE"));
      await planner.plan({ ...request, prompt: "Hello?" }, { signal: signal() });
      expect(server.requests[1].json.prompt_cache_key).toBe(sent.prompt_cache_key);
    } finally {
      await server.close();
    }
  });

  it("JSON mode with toolDetail schemas sends the full JSON Schemas", async () => {
    const server = await startFakeOpenAIServer();
    try {
      const planner = createModelPlanner({
        model: createOpenAI({ baseURL: server.url, apiKey: "k" }).chat("m"),
        toolDetail: "schemas",
      });
      server.enqueue(reply.json({ steps: [] }));
      await planner.plan(request, { signal: signal() });
      expect(server.requests[0].json.messages[0].content).toContain('"items":{"type":"integer"}');
    } finally {
      await server.close();
    }
  });
});
