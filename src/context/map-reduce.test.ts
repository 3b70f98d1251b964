import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { reply } from "../testing/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import { createAgent } from "../agent/create-agent.js";
import { defineTool } from "../tools/define-tool.js";
import { approximateTokenCounter } from "./token-counter.js";

let models: FakeModels;
beforeEach(async () => {
  models = await startFakeModels();
});
afterEach(async () => {
  await models.close();
});

const rows = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: i,
    name: `${prefix}-customer-${i}`,
    city: i === 137 ? "Lisbon" : "Berlin",
    total: (i * 7) % 100,
  }));

describe("map-reduce when results exceed the local window", () => {
  it("visits every chunk, extracts facts per step, and keeps citations to the original steps", async () => {
    const customers = defineTool({
      name: "customers",
      description: "all customers",
      input: z.object({}),
      run: async () => ({ rows: rows("alpha", 300) }),
    });
    const archive = defineTool({
      name: "archive",
      description: "archived customers",
      input: z.object({}),
      run: async () => ({ rows: rows("beta", 300) }),
    });
    models.cloud.enqueue(
      reply.json({
        steps: [
          { id: "s1", tool: "customers", args: {} },
          { id: "s2", tool: "archive", args: {} },
        ],
      }),
    );

    const mapBodies: string[] = [];
    models.local.handle((req) => {
      const user = req.json.messages.at(-1).content as string;
      if (user.includes("Lookup results (part")) {
        mapBodies.push(user);
        // Extract: the Lisbon row of this chunk, if any, attributed to the step whose header precedes it.
        const facts: Array<{ step: string; fact: string }> = [];
        let step = "";
        for (const line of user.split("\n")) {
          const header = /^\[(s\d)\]/.exec(line);
          if (header) step = header[1];
          if (line.includes("Lisbon")) facts.push({ step, fact: `${line.split(" | ")[1]} lives in Lisbon` });
        }
        return reply.json({ facts });
      }
      return reply.text("alpha-customer-137 [s1] and beta-customer-137 [s2] live in Lisbon.");
    });

    const contextWindow = 1024;
    const agent = createAgent({
      planner: models.planner,
      generator: models.generator,
      tools: [customers, archive],
      contextWindow,
      answerReserve: 200,
      mapReduce: { parallel: 2 },
    });
    const result = await agent.run("Which customers live in Lisbon?");

    // The data is about ten times the window.
    const dataTokens = approximateTokenCounter.count(JSON.stringify([rows("alpha", 300), rows("beta", 300)]));
    expect(dataTokens).toBeGreaterThan(10 * contextWindow);
    // Every chunk was visited: every row of both steps appeared in some map request.
    const seen = mapBodies.join("\n");
    for (const prefix of ["alpha", "beta"])
      for (const i of [0, 137, 299]) expect(seen).toContain(`${prefix}-customer-${i} |`);
    expect(mapBodies.length).toBe(result.trace.context?.chunks);
    expect(mapBodies.length).toBeGreaterThanOrEqual(10);
    // Each map request fits the window.
    for (const body of mapBodies) expect(approximateTokenCounter.count(body)).toBeLessThan(contextWindow);
    // The answer request holds the extracted facts with their step ids, and the citations survive.
    const final = models.local.requests.at(-1)!.json.messages.at(-1).content as string;
    expect(final).toContain("[s1] alpha-customer-137 lives in Lisbon");
    expect(final).toContain("[s2] beta-customer-137 lives in Lisbon");
    expect(result.citations).toEqual(["s1", "s2"]);
    expect(result.trace.context?.strategy).toBe("map-reduce");
    expect(result.trace.usage.local.inputTokens).toBeGreaterThan(0);
  });

  it("reports a local model that fails while reading chunks as GENERATOR_FAILED", async () => {
    const big = defineTool({
      name: "big",
      description: "many rows",
      input: z.object({}),
      run: async () => ({ rows: rows("x", 400) }),
    });
    models.cloud.enqueue(reply.json({ steps: [{ id: "s1", tool: "big", args: {} }] }));
    models.local.handle(() => reply.error(500, "out of memory"));
    const agent = createAgent({
      planner: models.planner,
      generator: models.generator,
      tools: [big],
      contextWindow: 1024,
      answerReserve: 200,
    });
    const error = await agent.run("q").catch((e) => e);
    expect(error.code).toBe("GENERATOR_FAILED");
    expect(error.message).toContain("while reading large results");
  });

  it("uses the direct layout (no extra calls) when the results fit", async () => {
    const small = defineTool({
      name: "small",
      description: "few rows",
      input: z.object({}),
      run: async () => ({ rows: rows("a", 3) }),
    });
    models.cloud.enqueue(reply.json({ steps: [{ id: "s1", tool: "small", args: {} }] }));
    models.local.enqueue(reply.text("ok [s1]"));
    const result = await createAgent({
      planner: models.planner,
      generator: models.generator,
      tools: [small],
    }).run("q");
    expect(result.trace.context?.strategy).toBe("direct");
    expect(models.local.requests).toHaveLength(1);
  });
});
