/**
 * The invariant, proven at the protocol level: a canary planted in every tool result (and in
 * tool errors and earlier answers) never appears in any byte the cloud planner endpoint received.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAgent } from "../../src/agent/create-agent.js";
import { defineTool } from "../../src/tools/define-tool.js";
import { reply } from "../../src/testing/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../helpers/fake-models.js";

const CANARY = "CANARY-7f3a9c1e-do-not-leak";
const CANARY_NUMBER = 918273645;

let models: FakeModels;
beforeAll(async () => {
  models = await startFakeModels();
});
afterAll(async () => {
  await models.close();
});

const lookup = defineTool({
  name: "lookup",
  description: "Looks a customer up",
  input: z.object({ q: z.string() }),
  run: async ({ q }) => ({
    rows: [{ id: CANARY_NUMBER, note: `${CANARY} for ${q}`, email: `${CANARY}@example.com` }],
  }),
});
const detail = defineTool({
  name: "detail",
  description: "Details of a customer id",
  input: z.object({ id: z.number() }),
  run: async ({ id }) => ({ id, secret: CANARY }),
});
const broken = defineTool({
  name: "broken",
  description: "Always fails",
  input: z.object({}),
  run: async () => {
    throw new Error(`database error near ${CANARY}`);
  },
});

function agent() {
  return createAgent({
    planner: models.planner,
    generator: models.generator,
    tools: [lookup, detail, broken],
    limits: { maxRepairs: 2 },
  });
}

describe("canary: tool data never reaches the planner", () => {
  const scenarios: Array<{
    name: string;
    plans: unknown[];
    history?: Array<{ role: "user" | "assistant"; content: string }>;
  }> = [
    {
      name: "parallel",
      plans: [
        {
          steps: [
            { id: "s1", tool: "lookup", args: { q: "a" } },
            { id: "s2", tool: "lookup", args: { q: "b" } },
          ],
        },
      ],
    },
    {
      name: "dependent",
      plans: [
        {
          steps: [
            { id: "s1", tool: "lookup", args: { q: "a" } },
            { id: "s2", tool: "detail", args: { id: { $ref: "s1", path: "rows[0].id" } } },
          ],
        },
      ],
    },
    {
      name: "repair then run",
      plans: [
        { steps: [{ id: "s1", tool: "nope", args: {} }] },
        { steps: [{ id: "s1", tool: "lookup", args: { q: "c" } }] },
      ],
    },
    {
      name: "failure and skipped dependent",
      plans: [
        {
          steps: [
            { id: "s1", tool: "broken", args: {} },
            { id: "s2", tool: "detail", args: { id: { $ref: "s1", path: "id" } } },
          ],
        },
      ],
    },
    {
      name: "multi-turn with a data-bearing earlier answer",
      history: [
        { role: "user", content: "who is customer a?" },
        { role: "assistant", content: `It is ${CANARY} (id ${CANARY_NUMBER}) [s1].` },
      ],
      plans: [{ steps: [{ id: "s1", tool: "lookup", args: { q: "again" } }] }],
    },
  ];

  for (const scenario of scenarios) {
    it(`holds for: ${scenario.name}`, async () => {
      for (const plan of scenario.plans) models.cloud.enqueue(reply.json(plan));
      models.local.enqueue(reply.text(`The answer mentions ${CANARY} [s1].`));
      const before = models.local.requests.length;
      const result = await agent().run("Tell me about customer a", { history: scenario.history });
      // The data did reach the local model, so the canary was really in play.
      expect(
        models.local.requests
          .slice(before)
          .map((r) => r.body)
          .join(""),
      ).toContain(scenario.name.startsWith("failure") ? "LOOKUP" : CANARY);
      expect(result.text).toContain(CANARY);
    });
  }

  it("no request body the cloud received contains the canary, in any encoding", () => {
    const everything = models.cloud.allBodies();
    expect(models.cloud.requests.length).toBeGreaterThanOrEqual(6);
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain(String(CANARY_NUMBER));
    expect(everything).not.toContain(Buffer.from(CANARY).toString("base64"));
    expect(everything.toLowerCase()).not.toContain("canary-7f3a9c1e");
  });
});
