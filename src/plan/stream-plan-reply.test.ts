/**
 * The cloud planner's reply read as a stream, for all three provider families and every plan
 * mode, through the real provider packages against fake servers that decode token by token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractTools } from "../../test/contracts/planner-contract.js";
import { anthropicReply, startFakeAnthropicServer } from "../../test/helpers/fake-anthropic-server.js";
import { googleReply, startFakeGoogleServer } from "../../test/helpers/fake-google-server.js";
import { reply, startFakeOpenAIServer } from "../../test/helpers/fake-openai-server.js";
import type { PlanStep } from "../core/plan.js";
import { resolveModel } from "../models/resolve-model.js";
import { toolSpec } from "../tools/tool.js";
import { renderCompactPlan } from "./compact-plan.js";
import { createModelPlanner } from "./model-planner.js";
import { parsePlan } from "./parse-plan.js";
import type { PlanRequest } from "./planner.js";

type Mode = "json" | "compact" | "tool-calls";
const STEPS: PlanStep[] = [
  { id: "s1", tool: "find_customer", args: { city: "<GPE_1>" } },
  { id: "s2", tool: "weather", args: { city: "<GPE_1>" } },
  { id: "s3", tool: "weather", args: { city: "Lisbon, the capital of Portugal, by the Atlantic ocean" } },
];
const request: PlanRequest = {
  prompt: "Customers in <GPE_1>, and the weather there and in Lisbon?",
  tools: contractTools.map(toolSpec),
  date: "2026-11-29",
  maxSteps: 5,
};
const TPS = 150;
const text = (mode: Mode) =>
  mode === "compact" ? renderCompactPlan(STEPS) : JSON.stringify({ steps: STEPS });

interface Family {
  name: string;
  start(): Promise<{ url: string; close(): Promise<void>; requests: Array<{ path: string; json: any }> }>;
  model(url: string): ReturnType<typeof resolveModel>;
  enqueue(server: unknown, mode: Mode): void;
  streamed(request: { path: string; json: any }): boolean;
}

const families: Family[] = [
  {
    name: "OpenAI",
    start: startFakeOpenAIServer,
    model: (url) =>
      resolveModel({ provider: "openai", model: "gpt-x", baseURL: url, apiKey: "k" }, { env: {} }),
    enqueue: (server, mode) =>
      (server as Awaited<ReturnType<typeof startFakeOpenAIServer>>).enqueue(
        mode === "tool-calls"
          ? reply.toolCalls(
              STEPS.map((s) => ({ name: s.tool, args: s.args })),
              { tokensPerSec: TPS },
            )
          : reply.text(text(mode), { tokensPerSec: TPS }),
      ),
    streamed: (r) => r.json.stream === true,
  },
  {
    name: "Anthropic",
    start: startFakeAnthropicServer,
    model: (url) =>
      resolveModel({ provider: "anthropic", model: "claude-x", baseURL: url, apiKey: "k" }, { env: {} }),
    enqueue: (server, mode) =>
      (server as Awaited<ReturnType<typeof startFakeAnthropicServer>>).enqueue(
        mode === "tool-calls"
          ? anthropicReply.toolUse(
              STEPS.map((s) => ({ name: s.tool, input: s.args })),
              { tokensPerSec: TPS },
            )
          : anthropicReply.text(text(mode), { tokensPerSec: TPS }),
      ),
    streamed: (r) => r.json.stream === true,
  },
  {
    name: "Google",
    start: startFakeGoogleServer,
    model: (url) =>
      resolveModel({ provider: "google", model: "gemini-x", baseURL: url, apiKey: "k" }, { env: {} }),
    enqueue: (server, mode) =>
      (server as Awaited<ReturnType<typeof startFakeGoogleServer>>).enqueue(
        mode === "tool-calls"
          ? googleReply.functionCalls(
              STEPS.map((s) => ({ name: s.tool, args: s.args })),
              { tokensPerSec: TPS },
            )
          : googleReply.text(text(mode), { tokensPerSec: TPS }),
      ),
    streamed: (r) => r.path.includes(":streamGenerateContent"),
  },
];

describe.each(families)("$name planner reply as a stream", (family) => {
  let server: Awaited<ReturnType<Family["start"]>>;
  beforeAll(async () => {
    server = await family.start();
  });
  afterAll(() => server.close());

  it.each(["compact", "json", "tool-calls"] as const)(
    "%s: reports each step when it is complete, long before the reply ends",
    async (mode) => {
      const planner = createModelPlanner({ model: family.model(server.url), mode });
      family.enqueue(server, mode);
      const t0 = performance.now();
      const arrived: Array<{ step: PlanStep; at: number }> = [];
      const result = await planner.plan(request, {
        signal: new AbortController().signal,
        onStep: (step) => arrived.push({ step, at: performance.now() - t0 }),
      });
      const done = performance.now() - t0;
      expect(family.streamed(server.requests.at(-1)!)).toBe(true);
      const parsed = parsePlan(result.raw);
      expect(parsed.issues).toEqual([]);
      expect(parsed.plan!.steps).toEqual(STEPS);
      expect(arrived.map((a) => a.step)).toEqual(STEPS);
      // At 150 tokens/s the long third step alone takes over 100 ms to decode: s1 is usable well before.
      expect(done - arrived[0].at).toBeGreaterThan(80);
      expect(arrived[0].at).toBeLessThan(arrived[2].at);
    },
    30_000,
  );
});

describe("a streamed reply that turns out malformed", () => {
  it("reports the complete steps before the bad one, and the whole reply still fails to parse", async () => {
    const server = await startFakeOpenAIServer();
    try {
      const planner = createModelPlanner({
        model: resolveModel(
          { provider: "openai", model: "m", baseURL: server.url, apiKey: "k" },
          { env: {} },
        ),
        mode: "compact",
      });
      server.enqueue(
        reply.text('s1 = weather(city="<GPE_1>")\ns2 = weather(city=)\n', { tokensPerSec: 500 }),
      );
      const arrived: PlanStep[] = [];
      const result = await planner.plan(request, {
        signal: new AbortController().signal,
        onStep: (s) => arrived.push(s),
      });
      expect(arrived.map((s) => s.id)).toEqual(["s1"]);
      expect(parsePlan(result.raw).issues.map((i) => i.stepId)).toEqual(["s2"]);
    } finally {
      await server.close();
    }
  });
});
