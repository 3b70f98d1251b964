import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { describe, expect, it } from "vitest";
import { plannerContract } from "../../test/contracts/planner-contract.js";
import {
  type FakeOpenAIServer,
  reply,
  startFakeOpenAIServer,
} from "../../test/helpers/fake-openai-server.js";
import { createLocalPlanner } from "./local-planner.js";
import { createModelPlanner } from "./model-planner.js";

async function fakeFixture(
  make: (server: FakeOpenAIServer) => ReturnType<typeof createModelPlanner>,
  toolCalls = false,
) {
  const server = await startFakeOpenAIServer();
  return {
    planner: make(server),
    script: (steps: Array<{ tool: string; args: Record<string, unknown> }>) =>
      server.enqueue(
        toolCalls
          ? reply.toolCalls(steps.map((s) => ({ name: s.tool, args: s.args })))
          : reply.json(
              { steps: steps.map((s, i) => ({ id: `s${i + 1}`, ...s })) },
              { usage: { prompt_tokens: 50, completion_tokens: 9 } },
            ),
      ),
    hang: () => server.enqueue(reply.hang()),
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
    true,
  ),
);
plannerContract("local OpenAI-compatible server with response_format", () =>
  fakeFixture((s) =>
    createLocalPlanner({
      model: createOpenAICompatible({
        name: "local",
        baseURL: s.url,
        supportsStructuredOutputs: true,
      }).chatModel("m"),
    }),
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
