/**
 * A conversation of 9,000 turns (what a chat UI resends as it grows, or an attacker sends at
 * once): only the most recent turns within the limits are pseudonymized and sent to the planner,
 * and the event loop stays free meanwhile (other users are not stalled).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { reply } from "../../test/helpers/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import type { ChatTurn } from "../core/chat-turn.js";
import { createPrivacy } from "../privacy/agent-privacy.js";
import { defineTool } from "../tools/define-tool.js";
import { createAgent } from "./create-agent.js";

const find = defineTool({
  name: "find_customer",
  description: "Find a customer by name",
  input: z.object({ name: z.string() }),
  run: async () => ({ rows: [{ id: 1 }] }),
});

let models: FakeModels;
beforeEach(async () => {
  models = await startFakeModels();
  models.cloud.handle(() =>
    reply.json({ steps: [{ id: "s1", tool: "find_customer", args: { name: "x" } }] }),
  );
  models.local.handle(() => reply.text("Found [s1]."));
});
afterEach(() => models.close());

const history: ChatTurn[] = Array.from({ length: 9_000 }, (_, i) => ({
  role: i % 3 === 2 ? "assistant" : "user",
  content: `turn ${i}: what about the accounts of Maria Keller, please?`.padEnd(100, "."),
}));

describe("a long conversation", () => {
  it("sends the planner only the most recent user turns within the limits, without stalling the loop", async () => {
    const agent = createAgent({
      planner: models.planner,
      generator: models.generator,
      tools: [find],
      privacy: createPrivacy({
        ner: false,
        sensitiveValues: [{ type: "PERSON", value: "Maria Keller", origin: "t" }],
      }),
      limits: { maxHistoryTurns: 10, maxHistoryChars: 5_000 },
    });
    await agent.run("warm up"); // loads the privacy indexes
    let last = performance.now();
    let worstGap = 0;
    const ticker = setInterval(() => {
      worstGap = Math.max(worstGap, performance.now() - last);
      last = performance.now();
    }, 5);
    const result = await agent.run("who is Maria Keller?", { history }).finally(() => clearInterval(ticker));

    expect(result.trace.history).toEqual({ received: 9_000, planner: 10, generator: 10 });
    const planned = models.cloud.requests.at(-1)!.body;
    expect(planned).toContain("turn 8998"); // the last user turn (8999 is an answer)
    expect(planned).toContain("turn 8985:"); // the 10th most recent user turn
    expect(planned).not.toContain("turn 8983:"); // the 11th
    expect(planned).not.toContain("Maria Keller"); // still pseudonymized
    expect(planned.length).toBeLessThan(20_000);
    const answered = models.local.requests.at(-1)!.body;
    expect(answered).toContain("turn 8999");
    expect(answered).toContain("turn 8990:");
    expect(answered).not.toContain("turn 8989:");
    // Turns are pseudonymized one at a time with the loop free in between.
    expect(worstGap).toBeLessThan(300);
  });

  it("keeps nothing when the limits say so, and cuts an overlong turn for the planner", async () => {
    const agent = createAgent({
      planner: models.planner,
      generator: models.generator,
      tools: [find],
      limits: { maxHistoryTurns: 0 },
    });
    const none = await agent.run("who?", { history });
    expect(none.trace.history).toEqual({ received: 9_000, planner: 0, generator: 0 });
    const long = createAgent({ planner: models.planner, generator: models.generator, tools: [find] });
    await long.run("who?", { history: [{ role: "user", content: `start ${"y".repeat(50_000)}` }] });
    const planned = models.cloud.requests.at(-1)!.body;
    expect(planned).toContain("start yyy");
    expect(planned).not.toContain("y".repeat(2_000));
  });
});
