/**
 * Faults upstream of the gateway, through the whole stack (official openai client → gateway →
 * agent → a planner provider over real HTTP): a provider that rate-limits is waited out when its
 * Retry-After fits the planner timeout, else the client gets a typed 503 with that Retry-After.
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool } from "../../src/tools/define-tool.js";
import { reply } from "../helpers/fake-openai-server.js";
import { useAgentGateway } from "../helpers/agent-gateway.js";

const TOKEN = "upstream-faults-token-01";
const tool = defineTool({
  name: "lookup",
  description: "Look something up",
  input: z.object({ q: z.string() }),
  run: async () => ({ rows: [{ ok: 1 }] }),
});
const plan = reply.json({ steps: [{ id: "s1", tool: "lookup", args: { q: "x" } }] });
const rateLimited = (retryAfter: string) =>
  reply.error(429, "Rate limit reached for requests", { headers: { "retry-after": retryAfter } });

const gateway = useAgentGateway(TOKEN, "Done [s1].");
const client = (plannerTimeoutMs = 10_000) => gateway.client({ tools: [tool], limits: { plannerTimeoutMs } });

const ask = { model: "flm", messages: [{ role: "user" as const, content: "look it up" }] };

describe("a planner provider answering 429", () => {
  it("is retried after its Retry-After, within the planner timeout: the client gets its answer", async () => {
    gateway.models.cloud.enqueue(rateLimited("1"), plan);
    const t0 = Date.now();
    const done = await (await client()).chat.completions.create(ask);
    expect(done.choices[0].message.content).toBe("Done [s1].");
    expect(gateway.models.cloud.requests.length).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it("asking for longer than the planner timeout leaves: 503 PLANNER_RATE_LIMITED with its Retry-After", async () => {
    gateway.models.cloud.handle(() => rateLimited("120"));
    const c = await client(5_000);
    const error = await c.chat.completions.create(ask).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.status).toBe(503);
    expect(error.code).toBe("PLANNER_RATE_LIMITED");
    expect(error.headers.get("retry-after")).toBe("120");
    expect(error.message).toMatch(/asked to wait 120 s/);
    expect(gateway.models.cloud.requests.length).toBe(1);
  });
});
