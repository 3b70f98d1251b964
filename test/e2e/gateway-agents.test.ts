/**
 * Several agents from one config behind one gateway: each answers under its own `model` name,
 * its planner sees only its own tools, and the shared sources are opened once.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRuntime, type Runtime } from "../../src/runtime/build-runtime.js";
import { parseConfig } from "../../src/config/load-config.js";
import { createGateway, type ListeningGateway } from "../../src/server/create-gateway.js";
import { createCrmDb } from "../helpers/crm-db.js";
import {
  type FakeOpenAIServer,
  type RecordedRequest,
  reply,
  startFakeOpenAIServer,
} from "../../src/testing/fake-openai-server.js";
import { specConformance } from "../helpers/openai-spec.js";

const CANARY = "CANARY-5b7e-gateway-agents";
const TOKEN = "alice-token-0123456789";
const conformance = specConformance("gateway with several agents");

let cloud: FakeOpenAIServer;
let local: FakeOpenAIServer;
let runtime: Runtime;
let server: ListeningGateway;
let client: OpenAI;

/** Plans the one tool the request offers: whichever agent asked, it can only use its own. */
function plannerReply(req: RecordedRequest) {
  const tool = req.body.includes("customer_notes") ? "customer_notes" : "order_totals";
  return reply.json({ steps: [{ id: "s1", tool, args: {} }] });
}

beforeAll(async () => {
  [cloud, local] = await Promise.all([startFakeOpenAIServer(), startFakeOpenAIServer()]);
  cloud.handle(plannerReply);
  local.handle((req) => reply.text(req.body.includes("vip") ? "Notes answer [s1]." : "Orders answer [s1]."));
  const { path } = createCrmDb(CANARY);
  const config = parseConfig(
    {
      name: "crm",
      description: "Customers and their notes",
      planner: `${cloud.url}#planner`,
      generator: `${local.url}#local`,
      privacy: { canaries: [CANARY] },
      tools: [
        {
          kind: "sql",
          name: "customers",
          driver: "sqlite",
          path,
          queries: [
            {
              name: "customer_notes",
              description: "Every customer's note.",
              sql: "SELECT id, note FROM customers",
            },
          ],
        },
        {
          kind: "sql",
          name: "orders",
          driver: "sqlite",
          path,
          queries: [
            {
              name: "order_totals",
              description: "Total per item.",
              sql: "SELECT item, SUM(total) AS total FROM orders GROUP BY item",
            },
          ],
        },
      ],
      agents: { sales: { description: "Orders only", tools: ["orders"] } },
      users: [{ token: TOKEN, id: "alice", roles: ["analyst"] }],
    },
    { env: {} },
  );
  runtime = await buildRuntime(config, { env: {} });
  // The runtime's users become the gateway's, as `flm serve` does.
  const gateway = createGateway({
    agents: runtime.agents,
    descriptions: runtime.descriptions,
    users: runtime.users.map((u) => ({ token: u.token, ...u.caller })),
  });
  server = await gateway.listen({ port: 0 });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: TOKEN, maxRetries: 0 });
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
  await Promise.all([cloud?.close(), local?.close()]);
});

async function ask(model: string) {
  const before = cloud.requests.length;
  const completion = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: "What do we know?" }],
  });
  return { text: completion.choices[0]?.message.content, sent: cloud.requests.slice(before) };
}

describe("gateway with several agents from one config", () => {
  it("lists every agent with its description", async () => {
    const models = await client.models.list();
    const data = models.data as Array<{ id: string; description?: string }>;
    expect(data.map((m) => ({ id: m.id, description: m.description }))).toEqual([
      { id: "crm", description: "Customers and their notes" },
      { id: "sales", description: "Orders only" },
    ]);
    conformance.record(
      "ListModelsResponse",
      await (
        await fetch(`${server.url}/v1/models`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).json(),
    );
  });

  it("answers under each model name with that agent's tools only", async () => {
    const crm = await ask("crm");
    expect(crm.text).toBe("Notes answer [s1].");
    expect(crm.sent.length).toBeGreaterThan(0);
    expect(crm.sent.some((r) => r.body.includes("customer_notes"))).toBe(true);

    const sales = await ask("sales");
    expect(sales.text).toBe("Orders answer [s1].");
    expect(sales.sent.length).toBeGreaterThan(0);
    for (const r of sales.sent) {
      expect(r.body).toContain("order_totals");
      expect(r.body).not.toContain("customer_notes"); // agent crm's tool
    }
    // The canary in the notes reached the local model only.
    expect(cloud.requests.every((r) => !r.body.includes(CANARY))).toBe(true);
    expect(local.requests.some((r) => r.body.includes(CANARY))).toBe(true);
  });

  it("refuses an unknown model with the gateway's 404", async () => {
    const error = await ask("marketing").catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe("model_not_found");
    expect(error.message).toContain("crm, sales");
  });
});

conformance.defineTest();
