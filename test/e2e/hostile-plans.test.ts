/**
 * Hostile planner replies through the whole stack (fake cloud planner over real HTTP, agent,
 * gateway, official openai client): whatever the plan's shape, the client gets a typed error,
 * never a 500, and what flm sends back to the cloud in repair rounds stays small.
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool } from "../../src/tools/define-tool.js";
import { reply } from "../helpers/fake-openai-server.js";
import { useAgentGateway } from "../helpers/agent-gateway.js";

const TOKEN = "hostile-plans-token-0123";
const findCustomer = defineTool({
  name: "find_customer",
  description: "Find a customer by name",
  input: z.object({ name: z.unknown() }),
  run: async () => ({ rows: [{ id: 1 }] }),
});

/** `[[[…"x"…]]]` as text: JSON.stringify itself overflows the stack on such a value. */
const nestedText = (depth: number) => `${"[".repeat(depth)}"x"${"]".repeat(depth)}`;

const gateway = useAgentGateway(TOKEN, "Answer [s1].");
const client = (plannerMode: "json" | "tool-calls" = "json") =>
  gateway.client({ plannerMode, tools: [findCustomer], limits: { maxRepairs: 1 } });

async function askFails(c: OpenAI): Promise<{ status?: number; code?: unknown }> {
  try {
    await c.chat.completions.create({ model: "flm", messages: [{ role: "user", content: "who is it?" }] });
  } catch (error) {
    if (error instanceof OpenAI.APIError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error("the request succeeded");
}

describe("hostile plans get typed answers", () => {
  it.each([2_000, 5_500, 50_000])(
    "a plan whose arguments nest %i levels deep: 502 PLAN_INVALID",
    async (depth) => {
      gateway.models.cloud.handle(() =>
        reply.text(`{"steps":[{"id":"s1","tool":"find_customer","args":{"name":${nestedText(depth)}}}]}`),
      );
      expect(await askFails(await client())).toEqual({ status: 502, code: "PLAN_INVALID" });
      // The repair round says what was wrong, in a few words.
      const repair = gateway.models.cloud.requests[1].body;
      expect(repair).toContain("nested more than 32 levels deep");
      expect(repair.length).toBeLessThan(20_000);
    },
  );

  it("native tool calls nested 5,500 levels deep: 502 PLAN_INVALID", async () => {
    gateway.models.cloud.handle(() =>
      reply.toolCalls([{ name: "find_customer", args: `{"name":${nestedText(5_500)}}` }]),
    );
    expect(await askFails(await client("tool-calls"))).toEqual({ status: 502, code: "PLAN_INVALID" });
  });

  it("a plan with more values than allowed in all is refused before anything walks it", async () => {
    const wide = JSON.stringify({
      steps: [{ id: "s1", tool: "find_customer", args: { name: Array(20_000).fill(1) } }],
    });
    gateway.models.cloud.handle(() => reply.text(wide));
    expect(await askFails(await client())).toEqual({ status: 502, code: "PLAN_INVALID" });
    expect(gateway.models.cloud.requests[1].body).toContain("more than 10000 values");
  });

  it("10,000 unknown-tool steps: the repair request stays small and the error is typed", async () => {
    const huge = JSON.stringify(Array.from({ length: 10_000 }, (_, i) => ({ tool: `nope${i % 10}` })));
    expect(huge.length).toBeGreaterThan(100_000);
    gateway.models.cloud.handle(() => reply.text(huge));
    expect(await askFails(await client())).toEqual({ status: 502, code: "PLAN_INVALID" });
    expect(gateway.models.cloud.requests.length).toBe(2);
    const [first, repair] = gateway.models.cloud.requests.map((r) => r.body.length);
    // The repair adds a capped echo and a capped problem list to the first request, no more.
    expect(repair - first).toBeLessThan(20_000);
    expect(gateway.models.cloud.requests[1].body).toContain("the rest of that reply is not repeated");
  });
});
