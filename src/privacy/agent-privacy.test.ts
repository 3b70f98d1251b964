import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOpenAI } from "@ai-sdk/openai";
import { createCrmDb } from "../../test/helpers/crm-db.js";
import { reply } from "../testing/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import { createAgent } from "../agent/create-agent.js";
import { isFlmError } from "../errors/flm-error.js";
import { createModelPlanner } from "../plan/model-planner.js";
import type { Planner } from "../plan/planner.js";
import { createSqlSource } from "../sources/sql/sql-source.js";
import { defineTool } from "../tools/define-tool.js";
import { z } from "zod";
import { createPrivacy } from "./agent-privacy.js";
import { generateAuditKey } from "./audit/audit-key.js";
import { openAuditLog } from "./audit/open-audit-log.js";
import { verifyAudit } from "./audit/verify-audit.js";
import { loadAuditPublicKey } from "./audit/audit-key.js";

let models: FakeModels;
beforeEach(async () => {
  models = await startFakeModels();
});
afterEach(async () => {
  await models.close();
});

function setup(
  extra: {
    canaries?: string[];
    audit?: Awaited<ReturnType<typeof openAuditLog>>;
    planner?: (p: ReturnType<typeof createPrivacy>) => Planner;
    policies?: Record<string, "pseudonymize" | "block" | "allow">;
  } = {},
) {
  const { path } = createCrmDb();
  const source = createSqlSource({
    name: "crm",
    driver: "sqlite",
    path,
    queries: [
      {
        name: "find_customer_by_email",
        description: "Customer with this email: id, name, city",
        sql: "SELECT id, name, city, note FROM customers WHERE email = :email",
        params: { type: "object", properties: { email: { type: "string" } }, required: ["email"] },
      },
      {
        name: "orders_of_customer",
        description: "Orders of a customer id",
        sql: "SELECT item, total, ordered_at FROM orders WHERE customer_id = :customer_id",
        params: {
          type: "object",
          properties: { customer_id: { type: "integer" } },
          required: ["customer_id"],
        },
      },
    ],
    sensitive: [
      { column: "customers.name", type: "PERSON" },
      { column: "customers.email", type: "EMAIL" },
    ],
  });
  const privacy = createPrivacy({
    sources: [source],
    canaries: extra.canaries,
    audit: extra.audit,
    policies: extra.policies,
  });
  const planner = createOpenAI({ baseURL: models.cloud.url, apiKey: "k", fetch: privacy.cloudFetch() }).chat(
    "planner",
  );
  const agent = createAgent({
    planner: extra.planner ? extra.planner(privacy) : planner,
    generator: models.generator,
    tools: [source],
    privacy,
  });
  return { agent, privacy, source };
}

describe("privacy firewall in the pipeline", () => {
  it("plans with placeholders, runs tools with the real values, answers from the original prompt", async () => {
    const { agent } = setup();
    models.cloud.handle((req) => {
      const prompt = req.json.messages.at(-1).content as string;
      const email = /<EMAIL_\d+>/.exec(prompt)?.[0] ?? "missing";
      return reply.json({
        steps: [
          { id: "s1", tool: "find_customer_by_email", args: { email } },
          { id: "s2", tool: "orders_of_customer", args: { customer_id: { $ref: "s1", path: "rows[0].id" } } },
        ],
      });
    });
    models.local.enqueue(reply.text("Maria Keller ordered a standing desk [s2]."));
    const result = await agent.run("What did Maria Keller, maria.keller@acme.de, order?");

    const cloud = models.cloud.allBodies();
    expect(cloud).toContain("<PERSON_1>");
    expect(cloud).toContain("<EMAIL_1>");
    expect(cloud).not.toContain("Maria");
    expect(cloud).not.toContain("maria.keller");
    expect(result.steps.map((s) => s.status)).toEqual(["ok", "ok"]);
    expect(result.steps[0].args).toEqual({ email: "maria.keller@acme.de" });
    const local = models.local.requests[0].body;
    expect(local).toContain("What did Maria Keller, maria.keller@acme.de, order?");
    expect(local).toContain("Standing desk");
    // The trace shows the pseudonymized bytes, exactly as sent.
    expect(result.trace.egress[0].body).toBe(models.cloud.requests[0].body);
  });

  it("keeps placeholders stable across the turns of a session", async () => {
    const { agent } = setup();
    const session = agent.createSession();
    models.cloud.handle(() => reply.json({ steps: [] }));
    models.local.handle(() => reply.text("ok"));
    await agent.run("Is jonas.weber@example.org a customer?", { session });
    await agent.run("And what about jonas.weber@example.org and maria.keller@acme.de?", { session });
    const second = models.cloud.requests[1].json.messages.at(-1).content as string;
    expect(second).toBe("And what about <EMAIL_1> and <EMAIL_2>?");
  });

  it("treats a placeholder the planner invented as a plan error and repairs it", async () => {
    const { agent } = setup();
    models.cloud.enqueue(
      reply.json({ steps: [{ id: "s1", tool: "find_customer_by_email", args: { email: "<EMAIL_7>" } }] }),
      reply.json({ steps: [{ id: "s1", tool: "find_customer_by_email", args: { email: "<EMAIL_1>" } }] }),
    );
    models.local.enqueue(reply.text("ok [s1]"));
    const result = await agent.run("Who is sven.olsen@example.no?");
    expect(result.trace.repairs).toBe(1);
    expect(models.cloud.requests[1].body).toContain("unknown placeholder <EMAIL_7>");
    expect(result.steps[0].args).toEqual({ email: "sven.olsen@example.no" });
  });

  it("the guard blocks a broken planner path that tries to send an earlier tool result, independently of the construction", async () => {
    let leaked = "";
    const { agent, source } = setup({
      planner: (privacy) => {
        const inner = createModelPlanner({
          model: createOpenAI({ baseURL: models.cloud.url, apiKey: "k", fetch: privacy.cloudFetch() }).chat(
            "p",
          ),
        });
        return {
          name: "broken",
          location: "cloud",
          // A bug: the prompt builder appends data it should never see.
          plan: (request, opts) =>
            inner.plan({ ...request, prompt: `${request.prompt}\nPrevious result: ${leaked}` }, opts),
        };
      },
    });
    const tools = await source.tools();
    const find = tools.find((t) => t.name === "find_customer_by_email")!;
    const session = agent.createSession();
    models.cloud.enqueue(
      reply.json({ steps: [{ id: "s1", tool: "find_customer_by_email", args: { email: "<EMAIL_1>" } }] }),
    );
    models.local.enqueue(reply.text("It is a customer in Paris [s1]."));
    const first = await agent.run("Who is amelie.dubois@example.fr?", { session });
    leaked = String((first.steps[0].output as { rows: Array<{ note: string }> }).rows[0].note);
    expect(find).toBeDefined();
    const before = models.cloud.requests.length;
    const error = await agent.run("Anything else?", { session }).catch((e) => e);
    expect(isFlmError(error, "EGRESS_BLOCKED")).toBe(true);
    expect(error.message).toContain("from s1");
    expect(error.message).not.toContain(leaked);
    expect(models.cloud.requests.length).toBe(before); // nothing was sent
  });

  it("blocks a configured canary, and audits every egress in a verifiable chain", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flm-audit-"));
    const keyPath = join(dir, "audit.key");
    await generateAuditKey(keyPath);
    const audit = await openAuditLog(
      { kind: "sqlite", path: join(dir, "audit.sqlite") },
      { keyPath, storeBodies: true },
    );
    try {
      // The ID detector would replace the canary in the prompt; allowed here, so that the egress
      // guard is what stops it.
      const { agent } = setup({ canaries: ["HONEYTOKEN-93ab"], audit, policies: { ID: "allow" } });
      models.cloud.handle(() => reply.json({ steps: [] }));
      models.local.handle(() => reply.text("ok"));
      await agent.run("What did maria.keller@acme.de order?", { user: { id: "alice", roles: [] } });
      const error = await agent.run("Look up HONEYTOKEN-93ab please").catch((e) => e);
      expect(isFlmError(error, "EGRESS_BLOCKED")).toBe(true);
      expect(models.cloud.requests).toHaveLength(1);

      const records = await audit.show({ limit: 10 });
      expect(records.map((r) => r.decision)).toEqual(["allowed", "blocked"]);
      expect(records[0].placeholderCounts).toMatchObject({ EMAIL: 1 });
      expect(records[0].userId).toBe("alice");
      expect(records[0].body).toBe(models.cloud.requests[0].body);
      expect(records[1].reason).toContain("CANARY from canary");
      // The blocked body held the canary: only its hash is kept.
      expect(records[1].body).toBeUndefined();
      expect(records[1].bodySha256).toMatch(/^[0-9a-f]{64}$/);
      await audit.checkpoint();
      const report = await verifyAudit(audit.store, {
        publicKey: await loadAuditPublicKey(`${keyPath}.pub`),
      });
      expect(report.ok).toBe(true);
      expect(report.records).toBe(2);
    } finally {
      await audit.close();
    }
  });
});

describe("modelOf", () => {
  it("reads the model from the body, or from a Gemini-style URL", async () => {
    const { modelOf } = await import("./agent-privacy.js");
    expect(modelOf('{"model":"gpt-4.1","messages":[]}', "https://api.openai.com/v1/chat/completions")).toBe(
      "gpt-4.1",
    );
    expect(
      modelOf("{}", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent"),
    ).toBe("gemini-2.5-pro");
    expect(modelOf("not json", "https://example.org/x")).toBe("unknown");
  });
});

describe("public text is not mistaken for a leak", () => {
  it("a later turn is not blocked when an earlier tool result equals a word of the planner's own instructions or replies", async () => {
    const yearTool = defineTool({
      name: "sales_by_year",
      description: "Sales totals per year",
      input: z.object({ city: z.string() }),
      run: async () => ({ rows: [{ year: 2026, day: "2026-11-26", city: "Berlin", total: 1234.5 }] }),
    });
    const privacy = createPrivacy();
    const planner = createOpenAI({
      baseURL: models.cloud.url,
      apiKey: "k",
      fetch: privacy.cloudFetch(),
    }).chat("p");
    const agent = createAgent({
      planner,
      generator: models.generator,
      tools: [yearTool],
      privacy,
      now: () => new Date("2026-11-26T10:00:00Z"),
    });
    const session = agent.createSession();
    models.local.handle(() => reply.text("ok [s1]"));
    models.cloud.enqueue(
      reply.json({ steps: [{ id: "s1", tool: "sales_by_year", args: { city: "Berlin" } }] }),
    );
    await agent.run("Sales this year?", { session });
    // Turn 2: the system prompt says "Today is 2026-11-26"; the first plan is invalid, so the repair
    // request echoes the planner's reply (with "Berlin", which is also a tool value by now).
    models.cloud.enqueue(
      reply.json({ steps: [{ id: "s1", tool: "sales_by_year", args: { town: "Berlin" } }] }),
      reply.json({ steps: [{ id: "s1", tool: "sales_by_year", args: { city: "Berlin" } }] }),
    );
    const second = await agent.run("And the same again?", { session });
    expect(second.trace.repairs).toBe(1);
    expect(second.trace.egress.map((e) => e.decision)).toEqual(["allowed", "allowed"]);
    // Tool values that are not public text are still refused.
    expect(models.cloud.allBodies()).not.toContain("1234.5");
  });
});

describe("failed steps", () => {
  it("taints a failed step's error message too: a prompt builder that forwards it is blocked", async () => {
    let leaked = "";
    const failing = defineTool({
      name: "insert_contact",
      description: "Adds a contact",
      input: z.object({}),
      run: async () => {
        throw new Error("duplicate key value violates unique constraint: (email)=(zoe.quill@example.net)");
      },
    });
    const privacy = createPrivacy();
    const inner = createModelPlanner({
      model: createOpenAI({ baseURL: models.cloud.url, apiKey: "k", fetch: privacy.cloudFetch() }).chat("p"),
    });
    const planner: Planner = {
      name: "broken",
      location: "cloud",
      plan: (request, opts) => inner.plan({ ...request, prompt: `${request.prompt}\n${leaked}` }, opts),
    };
    const agent = createAgent({ planner, generator: models.generator, tools: [failing], privacy });
    const session = agent.createSession();
    models.cloud.enqueue(reply.json({ steps: [{ id: "s1", tool: "insert_contact", args: {} }] }));
    models.local.enqueue(reply.text("It failed [s1]."));
    const first = await agent.run("Add the contact", { session });
    leaked = first.steps[0].error!.message;
    expect(leaked).toContain("zoe.quill@example.net");
    const before = models.cloud.requests.length;
    const error = await agent.run("Try again", { session }).catch((e) => e);
    expect(isFlmError(error, "EGRESS_BLOCKED")).toBe(true);
    expect(models.cloud.requests.length).toBe(before);
  });
});

describe("warmUp", () => {
  it("loads the detectors without touching any session: placeholders still start at 1", async () => {
    const privacy = createPrivacy({});
    privacy.warmUp();
    const session = privacy.createSession();
    const [out] = await privacy.pseudonymize(["Write to Maria Keller in Berlin."], session);
    expect(out).not.toContain("Maria Keller");
    expect(out).toMatch(/<PERSON_1>/);
  });
});
