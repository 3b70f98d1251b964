/** `--agent` through the real binary: one config, several agents sharing the sources. */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply } from "../../src/testing/fake-openai-server.js";
import {
  type CliFixture,
  crmTool,
  runCli,
  startCliFixture,
  writeFlmConfig,
  writeSqliteDb,
} from "./cli-helpers.js";

const CANARY = "Quetzalia Marchbanks";
let fixture: CliFixture;

const notes = {
  name: "customer_notes",
  description: "Every customer's note.",
  sql: "SELECT id, note FROM customers",
};
const totals = {
  name: "invoice_totals",
  description: "Total invoiced per status.",
  sql: "SELECT status, SUM(total) AS total FROM invoices GROUP BY status",
};

beforeAll(async () => {
  fixture = await startCliFixture("agents");
  writeSqliteDb(join(fixture.dir, "crm.sqlite"), {
    customers: {
      columns: "id INTEGER PRIMARY KEY, name TEXT, note TEXT",
      rows: [[1, CANARY, "canary row"]],
    },
    invoices: {
      columns: "id INTEGER PRIMARY KEY, customer_id INTEGER, total REAL, status TEXT",
      rows: [[10, 1, 120.5, "paid"]],
    },
  });
  fixture.cloud.handle((req) =>
    reply.json({
      steps: [
        {
          id: "s1",
          tool: req.body.includes("customer_notes") ? "customer_notes" : "invoice_totals",
          args: {},
        },
      ],
    }),
  );
  fixture.local.handle(() => reply.text("Paid: 120.5 [s1]."));
  writeFlmConfig(fixture, {
    tools: [
      crmTool([notes]),
      { kind: "sql", name: "billing", driver: "sqlite", path: "crm.sqlite", queries: [totals] },
    ],
    privacy: { canaries: [CANARY] },
    agents: { finance: { description: "Invoices only", tools: ["billing"] } },
  });
});
afterAll(async () => {
  await fixture?.close();
});

describe("flm --agent", () => {
  it("plan --agent sends only that agent's tools to the cloud", async () => {
    const r = await runCli(["plan", "--agent", "finance", "--json", "What was invoiced?"], {
      cwd: fixture.dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      plan: { steps: Array<{ tool: string }> };
      egress: Array<{ body: string }>;
    };
    expect(out.plan.steps[0]?.tool).toBe("invoice_totals");
    expect(out.egress.length).toBeGreaterThan(0);
    for (const e of out.egress) {
      expect(e.body).toContain("invoice_totals");
      expect(e.body).not.toContain("customer_notes");
    }
    // Without --agent, the top-level agent (all tools).
    const top = await runCli(["plan", "--json", "What was invoiced?"], { cwd: fixture.dir });
    expect(top.code, top.stderr).toBe(0);
    expect(JSON.parse(top.stdout).egress[0].body).toContain("customer_notes");
  });

  it("ask --agent answers with that agent", async () => {
    const r = await runCli(["ask", "--agent", "finance", "--no-trace", "What was invoiced?"], {
      cwd: fixture.dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Paid: 120.5 [s1].");
    expect(fixture.cloud.requests.every((req) => !req.body.includes(CANARY))).toBe(true);
  });

  it("an unknown --agent is a usage error (2); a bad agents entry a config error (3) with its key path", async () => {
    const unknown = await runCli(["plan", "--agent", "nope", "q"], { cwd: fixture.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No agent named "nope"');
    expect(unknown.stderr).toContain("flm, finance");

    const bad = writeFlmConfig(
      fixture,
      { tools: [crmTool([notes])], agents: { finance: { tools: ["billing"] } } },
      "bad.json",
    );
    const r = await runCli(["--config", bad, "plan", "q"], { cwd: fixture.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('agents.finance.tools[0]: no tool source named "billing"');
  });
});
