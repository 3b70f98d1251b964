/** The grounding check in a real run: planner and generator are scripted HTTP servers. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import { reply } from "../../test/helpers/fake-openai-server.js";
import type { AgentEvent } from "../core/events.js";
import { defineTool } from "../tools/define-tool.js";
import { createAgent } from "./create-agent.js";
import { REFUSED_ANSWER } from "./grounded-answer.js";

let models: FakeModels;
beforeEach(async () => {
  models = await startFakeModels();
  models.cloud.handle(() =>
    reply.json({ steps: [{ id: "s1", tool: "find_customer", args: { city: "Berlin" } }] }),
  );
});
afterEach(async () => {
  await models.close();
});

const findCustomer = defineTool({
  name: "find_customer",
  description: "Find customers by city",
  input: z.object({ city: z.string() }),
  run: async () => ({ rows: [{ customer_id: 17, name: "Hannah Schneider", spent: 1234.5 }] }),
});

const agentWith = (onUngrounded?: "flag" | "retry" | "refuse") =>
  createAgent({
    planner: models.planner,
    generator: models.generator,
    tools: [findCustomer],
    answer: onUngrounded ? { onUngrounded } : undefined,
  });

const HALLUCINATED = "Hannah Schneider spent 4,321.00 and lives at Kastanienallee 19 [s1].";
const GROUNDED = "Hannah Schneider spent 1,234.50 [s1].";

async function collect(events: AsyncIterable<AgentEvent>) {
  const out: AgentEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe("grounded answers", () => {
  it("flag (default): the answer streams as written; the result, trace and an event carry the flags", async () => {
    models.local.enqueue(reply.text(HALLUCINATED));
    const events = await collect(agentWith().stream("Who in Berlin spent most?"));
    const text = events.flatMap((e) => (e.type === "text-delta" ? [e.text] : [])).join("");
    expect(text).toBe(HALLUCINATED);
    const grounding = events.find((e) => e.type === "grounding");
    const done = events.find((e) => e.type === "done");
    expect(grounding?.type === "grounding" && grounding.grounding.action).toBe("flagged");
    if (done?.type !== "done") throw new Error("no done event");
    expect(done.result.grounding?.ungrounded.map((u) => u.text)).toEqual([
      "4,321.00",
      "Kastanienallee",
      "19",
    ]);
    expect(done.result.trace.grounding).toEqual(done.result.grounding);
    expect(done.result.trace.stages.grounding).toBeGreaterThan(0);
    // The check is local: the cloud planner got exactly one request, and no answer text.
    expect(models.cloud.requests).toHaveLength(1);
    expect(models.cloud.allBodies()).not.toContain("4,321");
  });

  it("retry: the local model is asked once more with the spans named; only the second answer is shown", async () => {
    models.local.enqueue(reply.text(HALLUCINATED), reply.text(GROUNDED));
    const events = await collect(agentWith("retry").stream("Who in Berlin spent most?"));
    const deltas = events.flatMap((e) => (e.type === "text-delta" ? [e.text] : []));
    expect(deltas.join("")).toBe(GROUNDED);
    expect(models.local.requests).toHaveLength(2);
    expect(models.local.requests[1]!.body).toContain('\\"4,321.00\\"');
    const done = events.at(-1);
    if (done?.type !== "done") throw new Error("no done event");
    expect(done.result.grounding).toMatchObject({ ungrounded: [], score: 1, action: "retried" });
    expect(done.result.text).toBe(GROUNDED);
    expect(models.cloud.requests).toHaveLength(1);
  });

  it("refuse: the answer is replaced by a clear message and never streamed", async () => {
    models.local.enqueue(reply.text(HALLUCINATED));
    const events = await collect(agentWith("refuse").stream("Who in Berlin spent most?"));
    const deltas = events.flatMap((e) => (e.type === "text-delta" ? [e.text] : []));
    expect(deltas.join("")).toBe(REFUSED_ANSWER);
    const done = events.at(-1);
    if (done?.type !== "done") throw new Error("no done event");
    expect(done.result.text).toBe(REFUSED_ANSWER);
    expect(done.result.citations).toEqual([]);
    expect(done.result.grounding?.action).toBe("refused");
  });

  it("a grounded answer passes untouched in every mode", async () => {
    for (const mode of ["flag", "retry", "refuse"] as const) {
      models.local.enqueue(reply.text(GROUNDED));
      const result = await agentWith(mode).run("Who in Berlin spent most?");
      expect(result.text).toBe(GROUNDED);
      expect(result.grounding).toMatchObject({ ungrounded: [], score: 1 });
      expect(result.grounding?.action).toBeUndefined();
    }
    expect(models.local.requests).toHaveLength(3);
  });
});
