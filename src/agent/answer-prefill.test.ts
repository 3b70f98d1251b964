/**
 * Prefill while waiting, end to end through createAgent: a local model server that receives
 * warm-up requests (what llama.cpp server, vLLM and Ollama cache), and in-process llama.cpp.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { reply } from "../../test/helpers/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import { testModelPath } from "../../test/helpers/gguf-writer.js";
import type { StepOutcome } from "../core/step-outcome.js";
import { createLlamaModel } from "../models/llama/index.js";
import { canPrefill, withPromptWarmUp } from "../models/prompt-prefill.js";
import { defineTool } from "../tools/define-tool.js";
import {
  answerMessages,
  answerNotes,
  answerPrefix,
  answerUserMessage,
  extractCitations,
} from "./answer-prompt.js";
import { createAgent } from "./create-agent.js";

const SECRET = "Hannah Schneider, +49 30 1234567";
const lookup = (name: string, ms: number) =>
  defineTool({
    name,
    description: `${name} lookup`,
    input: z.object({ city: z.string() }),
    run: async ({ city }) => {
      await new Promise((r) => setTimeout(r, ms));
      return { rows: [{ city, contact: SECRET, source: name }] };
    },
  });
// weather is slow enough that the read of find_customer's result finishes before it, even on a
// loaded machine (the test checks the order of reads, not their speed).
const tools = [lookup("find_customer", 10), lookup("weather", 1000)];
const plan = 's1 = weather(city="Berlin")\ns2 = find_customer(city="Berlin")';
const userText = (body: any) => body.messages.at(-1).content as string;

describe("the answer prompt", () => {
  it("has the results so far as a prefix of the final message, whatever comes after", () => {
    const q = "Who is our contact in Berlin?";
    for (const [results, context, notes] of [
      ["", "", ""],
      ["", "[s1] a\nrow", ""],
      ["[s1] a", "[s1] a\n\n[s2] b", "These lookups did not succeed: s3."],
      ["[s1] a\n\n[s2] b", "[s1] a\n\n[s2] b\n\nFacts extracted from results too large", ""],
    ]) {
      expect(answerUserMessage(q, context, notes).startsWith(answerPrefix(q, results))).toBe(true);
    }
    expect(answerUserMessage(q, "", "")).toContain("(no lookups were needed or made)");
    expect(answerMessages(q, "", [{ role: "user", content: "hi" }]).map((m) => m.role)).toEqual([
      "user",
      "user",
    ]);
  });

  it("cites the same steps whatever order the results arrived in", () => {
    const outcomes: StepOutcome[] = ["s1", "s2"].map((id) => ({
      step: { id, tool: "t", args: {} },
      status: "ok",
      durationMs: 1,
      output: { v: id },
    }));
    const answer = "Berlin [s2], see also [s1].";
    expect(extractCitations(answer, ["s1", "s2"])).toEqual(extractCitations(answer, ["s2", "s1"]));
    expect(answerNotes(outcomes, [])).toBe("");
  });
});

describe("prefill on a local model server (warm-up requests)", () => {
  let models: FakeModels;
  beforeEach(async () => {
    models = await startFakeModels();
  });
  afterEach(() => models.close());
  const generator = () =>
    withPromptWarmUp(createOpenAI({ baseURL: models.local.url, apiKey: "l" }).chat("local"));

  it("reads the question while the cloud plans and each result as it arrives; the answer continues the last read", async () => {
    models.cloud.enqueue(reply.text(plan, { delayMs: 150, tokensPerSec: 200 }));
    models.local.handle((req) => reply.text(req.json.max_tokens === 1 ? "." : "Hannah [s1] [s2]."));
    const result = await createAgent({ planner: models.planner, generator: generator(), tools }).run(
      "Who is our contact in Berlin, and the weather?",
    );
    const local = models.local.requests.map((r) => ({
      warm: r.json.max_tokens === 1,
      text: userText(r.json),
      at: r.receivedAt,
    }));
    const answer = local.at(-1)!;
    expect(answer.warm).toBe(false);
    const warmUps = local.filter((l) => l.warm);
    // The fixed part went out before the planner had answered.
    expect(warmUps[0].text).toBe(
      "Question: Who is our contact in Berlin, and the weather?\n\nLookup results:\n",
    );
    expect(warmUps[0].at).toBeLessThan(models.cloud.requests[0].receivedAt + 150);
    // Each read continues the one before, and the answer continues the last: only the tail is new.
    for (let i = 1; i < warmUps.length; i++)
      expect(warmUps[i].text.startsWith(warmUps[i - 1].text)).toBe(true);
    expect(answer.text.startsWith(warmUps.at(-1)!.text)).toBe(true);
    expect(warmUps.at(-1)!.text).toContain("[s2] find_customer");
    // The last result is read by the answer request itself: a read of it first would only delay it.
    expect(warmUps.at(-1)!.text).not.toContain("[s1] weather");
    // Results in the order they finished (find_customer is quicker), each labelled with its step.
    expect(answer.text.indexOf("[s2] find_customer")).toBeLessThan(answer.text.indexOf("[s1] weather"));
    expect(result.citations).toEqual(["s1", "s2"]);
    expect(result.trace.prefill!.reads).toBe(warmUps.length);
    // Tool data went to the local model only.
    expect(models.local.allBodies()).toContain("Hannah Schneider");
    expect(models.cloud.allBodies()).not.toContain("Hannah");
  });

  it("sends no warm-up with prefill off, and lays results out in plan order", async () => {
    models.cloud.enqueue(reply.text(plan));
    models.local.enqueue(reply.text("Hannah [s2]."));
    const result = await createAgent({
      planner: models.planner,
      generator: generator(),
      tools,
      latency: { prefill: false },
    }).run("Who is our contact in Berlin?");
    expect(models.local.requests).toHaveLength(1);
    const text = userText(models.local.requests[0].json);
    expect(text.indexOf("[s1] weather")).toBeLessThan(text.indexOf("[s2] find_customer"));
    expect(result.trace.prefill).toBeUndefined();
  });

  it("wraps a provider model without changing what it is", async () => {
    const base = createOpenAI({ baseURL: models.local.url, apiKey: "l" }).chat("local");
    const warm = withPromptWarmUp(base);
    expect(canPrefill(base)).toBe(false);
    expect(canPrefill(warm)).toBe(true);
    expect([warm.provider, warm.modelId, warm.specificationVersion]).toEqual([
      base.provider,
      base.modelId,
      "v3",
    ]);
    models.local.enqueue(reply.text("x"));
    await warm.prefill([{ role: "user", content: [{ type: "text", text: "Question: q" }] }]);
    expect(models.local.requests[0].json).toMatchObject({ max_tokens: 1, temperature: 0 });
  });
});

describe("prefill on in-process llama.cpp (real runtime)", () => {
  const local = createLlamaModel({ modelPath: testModelPath(), contextSize: 1024 });
  afterAll(() => local.dispose());

  it("the answer request reads only the tail: the rest came from the sequence", async () => {
    await local.contextWindow(); // loaded: reads take milliseconds, as in a long-running process
    const models = await startFakeModels();
    try {
      models.cloud.enqueue(reply.text(plan, { delayMs: 100 }));
      const result = await createAgent({
        planner: models.planner,
        generator: local,
        tools,
        contextWindow: 1024,
        answerReserve: 32,
        limits: { answerTimeoutMs: 60_000 },
      }).run("Who is our contact in Berlin?");
      const usage = result.trace.usage.local;
      expect(result.trace.prefill!.reads).toBeGreaterThanOrEqual(2);
      // Everything but the last result (weather, which the answer request reads itself) and the
      // closing line came from the sequence.
      expect(usage.cachedInputTokens!).toBeGreaterThan(usage.inputTokens * 0.6);
    } finally {
      await models.close();
    }
  }, 120_000);
});
