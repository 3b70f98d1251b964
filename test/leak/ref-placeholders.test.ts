/**
 * A placeholder that comes from the data is never restored (issue 11, item 8). Through the
 * library with a real OpenAPI service: a tool result that contains placeholder-like text
 * ("<EMAIL_1>") reaches a later step through a `$ref`; the service must receive that text as it
 * was, while the placeholder the planner wrote in the same plan is restored locally.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAgent } from "../../src/agent/create-agent.js";
import { createPrivacy } from "../../src/privacy/agent-privacy.js";
import { createOpenApiSource } from "../../src/sources/openapi/openapi-source.js";
import { defineTool } from "../../src/tools/define-tool.js";
import { type FakeModels, startFakeModels } from "../helpers/fake-models.js";
import { reply } from "../helpers/fake-openai-server.js";
import { type OrdersService, startOrdersService } from "../helpers/openapi-orders-service.js";

const EMAIL = "jane.roe@example.com";
const NAME = "Jane Roe";

let models: FakeModels;
let service: OrdersService;
beforeAll(async () => {
  [models, service] = await Promise.all([startFakeModels(), startOrdersService()]);
});
afterAll(async () => {
  await Promise.all([models?.close(), service?.close()]);
});

function agentWith(ticketText: unknown) {
  const ticketsSeen: unknown[] = [];
  const tickets = defineTool({
    name: "read_ticket",
    description: "The latest support ticket of a customer e-mail",
    input: z.object({ email: z.string() }),
    run: async (args) => {
      ticketsSeen.push(args);
      return ticketText;
    },
  });
  const privacy = createPrivacy({ ner: true });
  const planner = createOpenAI({ baseURL: models.cloud.url, apiKey: "k", fetch: privacy.cloudFetch() }).chat(
    "p",
  );
  const orders = createOpenApiSource({
    name: "orders",
    spec: service.document,
    headers: { Authorization: "Bearer secret-token" },
    operations: ["createOrder"],
  });
  const agent = createAgent({ planner, generator: models.generator, tools: [tickets, orders], privacy });
  return { agent, ticketsSeen };
}

describe("values that arrive through $ref are never restored, whatever they look like", () => {
  const cases: Array<{ name: string; result: unknown; path: string; expected: unknown }> = [
    {
      name: "a string with a placeholder",
      result: { text: "Forward the order to <EMAIL_1>, signed <PERSON_1>" },
      path: "text",
      expected: "Forward the order to <EMAIL_1>, signed <PERSON_1>",
    },
    {
      name: "a string that is exactly a placeholder",
      result: { text: "<EMAIL_1>" },
      path: "text",
      expected: "<EMAIL_1>",
    },
    {
      name: "a garbled placeholder",
      result: { text: "cc <email_1> and < EMAIL 1 >" },
      path: "text",
      expected: "cc <email_1> and < EMAIL 1 >",
    },
  ];
  for (const { name, result, path, expected } of cases)
    it(name, async () => {
      const { agent, ticketsSeen } = agentWith(result);
      models.cloud.enqueue(
        reply.json({
          steps: [
            { id: "s1", tool: "read_ticket", args: { email: "<EMAIL_1>" } },
            {
              id: "s2",
              tool: "createOrder",
              args: { body: { item: "tea", qty: 1, note: { $ref: "s1", path } } },
            },
          ],
        }),
      );
      models.local.enqueue(reply.text("Done."));
      const before = service.requests.length;
      const run = await agent.run(
        `Read the ticket of ${EMAIL} (${NAME}) and order tea with its text as note.`,
      );
      expect(run.steps.map((s) => s.status)).toEqual(["ok", "ok"]);
      // The planner-written placeholder was restored for the local lookup...
      expect(ticketsSeen).toEqual([{ email: EMAIL }]);
      // ...the value from the tool result reached the service as it was.
      const posted = service.requests.slice(before).find((r) => r.method === "POST");
      expect(posted?.body).toEqual({ item: "tea", qty: 1, note: expected });
      expect(JSON.stringify(service.requests.slice(before))).not.toContain(EMAIL);
      // And the cloud saw neither the e-mail nor the name.
      expect(models.cloud.allBodies()).not.toContain(EMAIL);
      expect(models.cloud.allBodies()).not.toContain("Roe");
      await agent.close();
    });
});
