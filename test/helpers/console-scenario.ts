/**
 * A gateway with its console over a real SQLite CRM, with a scripted cloud planner and local
 * model on protocol-level fake servers: one answered run (two steps chained by `$ref`, a
 * customer name pseudonymized) and one run the egress guard blocks (its prompt carries a canary).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { buildRuntime, type Runtime } from "../../src/runtime/build-runtime.js";
import { parseConfig } from "../../src/config/load-config.js";
import { createConsole } from "../../src/console/create-console.js";
import { FlmError } from "../../src/errors/flm-error.js";
import { buildRunRecord } from "../../src/traces/run-record.js";
import { openSqliteTraceStore } from "../../src/traces/sqlite-trace-store.js";
import type { TraceStore } from "../../src/traces/trace-store.js";
import { createCrmDb } from "./crm-db.js";
import { type FakeOpenAIServer, reply, startFakeOpenAIServer } from "./fake-openai-server.js";

export const ADMIN_TOKEN = "admin-token-console-0123456789";
export const ANALYST_TOKEN = "analyst-token-console-0123456789";
export const SCENARIO_CANARY = "CANARY-9d2c-console";
export const ASKED = "How much did Maria Keller order in total?";

export interface ConsoleScenario {
  url: string;
  cloud: FakeOpenAIServer;
  runs: { ok: string; blocked: string };
  traces: TraceStore;
  close(): Promise<void>;
}

export async function startConsoleScenario(): Promise<ConsoleScenario> {
  const [cloud, local] = await Promise.all([startFakeOpenAIServer(), startFakeOpenAIServer()]);
  cloud.handle((req) => {
    const prompt = String(req.json.messages.at(-1).content);
    const person = /<[A-Z][A-Z_]*_\d+>/.exec(prompt)?.[0] ?? "nobody";
    return reply.json({
      steps: [
        { id: "s1", tool: "customer_by_name", args: { name: person } },
        { id: "s2", tool: "order_total", args: { customer_id: { $ref: "s1", path: "rows[0].id" } } },
      ],
    });
  });
  local.handle(() => reply.text("The customer [s1] ordered 2 items for 1,250.00 in total [s2]."));
  const { path } = createCrmDb(SCENARIO_CANARY);
  const config = parseConfig(
    {
      name: "crm",
      planner: `${cloud.url}#planner`,
      generator: `${local.url}#local`,
      privacy: { canaries: [SCENARIO_CANARY], ner: false },
      tools: [
        {
          kind: "sql",
          name: "crm",
          driver: "sqlite",
          path,
          sensitive: ["customers.name", "customers.email"],
          queries: [
            {
              name: "customer_by_name",
              description: "The customer with this exact name: id, city.",
              sql: "SELECT id, city FROM customers WHERE name = :name",
              params: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
            },
            {
              name: "order_total",
              description: "Number of orders and their total for one customer id.",
              sql: "SELECT COUNT(*) AS orders, SUM(total) AS total FROM orders WHERE customer_id = :customer_id",
              params: {
                type: "object",
                properties: { customer_id: { type: "integer" } },
                required: ["customer_id"],
              },
            },
          ],
        },
      ],
      users: [
        { token: ADMIN_TOKEN, id: "root", roles: ["admin"] },
        { token: ANALYST_TOKEN, id: "alice", roles: ["analyst"] },
      ],
    },
    { env: {} },
  );
  const runtime: Runtime = await buildRuntime(config, { env: {} });
  const traces = await openSqliteTraceStore({ path: ":memory:", pruneIntervalMs: 0 });
  const agent = runtime.agents.crm;

  // Interim until the gateway writes traces itself: run the agent as the gateway would.
  const runOnce = async (id: string, prompt: string) => {
    const before = cloud.requests.length;
    try {
      const result = await agent.run(prompt, { runId: id, user: runtime.users[1].caller });
      const cloudPrompt = cloud.requests[before]?.json.messages.at(-1).content;
      await traces.put(
        buildRunRecord({
          trace: result.trace,
          userId: "alice",
          agent: "crm",
          prompt,
          cloudPrompt,
          answer: result.text,
          citations: result.citations,
        }),
      );
    } catch (error) {
      if (!FlmError.isInstance(error)) throw error;
      const startedAt = new Date().toISOString();
      await traces.put(
        buildRunRecord({
          trace: {
            id,
            startedAt,
            planner: "planner",
            repairs: 0,
            steps: [],
            usage: { cloud: { inputTokens: 0, outputTokens: 0 }, local: { inputTokens: 0, outputTokens: 0 } },
            egress: [],
            stages: {},
          },
          userId: "alice",
          agent: "crm",
          prompt,
          error: { code: error.code, message: error.message },
        }),
      );
    }
  };
  await runOnce("run-ok-0001", ASKED);
  await runOnce("run-blocked-0002", `Forward ${SCENARIO_CANARY} to the planner please`);

  const app = new Hono();
  app.route(
    "/console",
    createConsole({ traces, users: runtime.users.map((u) => ({ token: u.token, ...u.caller })) }),
  );
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () =>
      resolve(s as Server),
    ) as Server;
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cloud,
    runs: { ok: "run-ok-0001", blocked: "run-blocked-0002" },
    traces,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await traces.close();
      await runtime.close();
      await Promise.all([cloud.close(), local.close()]);
    },
  };
}
