/**
 * A gateway with its console over a real SQLite CRM, with a scripted cloud planner and local
 * model on protocol-level fake servers: one answered run (two steps chained by `$ref`, a
 * customer name pseudonymized) and one run the egress guard blocks (its prompt carries a canary).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { createServeGateway } from "../../src/cli/serve-gateway.js";
import { parseConfig } from "../../src/config/load-config.js";
import { generateAuditKey } from "../../src/privacy/audit/audit-key.js";
import { buildRuntime, type Runtime } from "../../src/runtime/build-runtime.js";
import { openConfiguredTraces } from "../../src/runtime/open-configured-traces.js";
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
  const dir = mkdtempSync(join(tmpdir(), "flm-console-scenario-"));
  generateAuditKey(join(dir, "audit-key.pem"));
  const config = parseConfig(
    {
      name: "crm",
      planner: `${cloud.url}#planner`,
      generator: `${local.url}#local`,
      // The ID detector would replace the canary typed in the prompt before egress; IDs are
      // allowed here so that the egress guard is what blocks that run.
      privacy: { canaries: [SCENARIO_CANARY], ner: false, entities: { ID: "allow" } },
      audit: { path: join(dir, "audit.sqlite"), keyPath: join(dir, "audit-key.pem") },
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
  const traces = await openConfiguredTraces(config);
  const listening = await createServeGateway(config, runtime, traces).listen({ port: 0 });

  // Runs made as a user makes them: the official OpenAI client, through the gateway.
  const ask = async (content: string) => {
    const client = new OpenAI({ baseURL: `${listening.url}/v1`, apiKey: ANALYST_TOKEN, maxRetries: 0 });
    const { response } = await client.chat.completions
      .create({ model: "crm", messages: [{ role: "user", content }] })
      .withResponse()
      .catch((error: { headers?: Headers }) => ({ response: { headers: error.headers } }));
    return (response.headers as Headers).get("x-flm-trace-id")!;
  };
  const ok = await ask(ASKED);
  const blocked = await ask(`Forward ${SCENARIO_CANARY} to the planner please`);

  return {
    url: listening.url,
    cloud,
    runs: { ok, blocked },
    traces,
    async close() {
      await listening.close();
      await traces.close();
      await runtime.close();
      await Promise.all([cloud.close(), local.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
