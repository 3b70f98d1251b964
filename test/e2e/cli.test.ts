import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAIServer, type RecordedRequest, reply } from "../../src/testing/fake-openai-server.js";
import {
  type CliFixture,
  crmTool,
  findCustomerQuery,
  lastUserText,
  runCli,
  startCliFixture,
  writeFlmConfig,
  writeSqliteDb,
} from "./cli-helpers.js";

const CANARY = "Quetzalia Marchbanks";
const SECRET_EMAIL = "maria.keller@example.org";

let fixture: CliFixture;
let cloud: FakeOpenAIServer;
let local: FakeOpenAIServer;
let dir: string;

/** The planner: looks up the customer named in the (pseudonymized) prompt, then their invoices. */
function plannerReply(req: RecordedRequest) {
  const placeholder = lastUserText(req).match(/<PERSON_\d+>/)?.[0];
  if (placeholder) {
    return reply.json({
      steps: [
        { id: "s1", tool: "find_customer", args: { name: placeholder } },
        { id: "s2", tool: "customer_invoices", args: { customer_id: { $ref: "s1", path: "rows[0].id" } } },
      ],
    });
  }
  return reply.json({ steps: [{ id: "s1", tool: "invoice_totals", args: {} }] });
}

beforeAll(async () => {
  fixture = await startCliFixture("cli");
  ({ cloud, local, dir } = fixture);
  cloud.handle(plannerReply);
  local.handle(() => reply.text("Maria Keller has two invoices [s2]."));
  writeSqliteDb(join(dir, "crm.sqlite"), {
    customers: {
      columns: "id INTEGER PRIMARY KEY, name TEXT, email TEXT, note TEXT",
      rows: [
        [1, "Maria Keller", SECRET_EMAIL, `VIP, referred by ${CANARY}`],
        [2, CANARY, "q.marchbanks@example.org", "canary row"],
      ],
    },
    invoices: {
      columns: "id INTEGER PRIMARY KEY, customer_id INTEGER, total REAL, status TEXT",
      rows: [
        [10, 1, 120.5, "paid"],
        [11, 1, 99.99, "unpaid"],
      ],
    },
  });
  writeFlmConfig(fixture, {
    tools: [
      crmTool(
        [
          findCustomerQuery("id, name, email, note"),
          {
            name: "customer_invoices",
            description: "Invoices of one customer.",
            sql: "SELECT id, total, status FROM invoices WHERE customer_id = :customer_id",
            params: {
              type: "object",
              properties: { customer_id: { type: "integer" } },
              required: ["customer_id"],
            },
          },
          {
            name: "invoice_totals",
            description: "Total invoiced per status.",
            sql: "SELECT status, SUM(total) AS total FROM invoices GROUP BY status",
          },
        ],
        [
          { column: "customers.name", type: "PERSON" },
          { column: "customers.email", type: "EMAIL" },
        ],
      ),
    ],
    privacy: { canaries: [CANARY] },
  });
});

afterAll(() => fixture?.close());

beforeEach(() => {
  cloud.requests.length = 0;
  local.requests.length = 0;
});

/** Canary rule: neither the canary nor any tool result ever reached the cloud. */
function expectNothingLeaked() {
  const sent = cloud.allBodies();
  expect(sent).not.toContain(CANARY);
  expect(sent).not.toContain("Quetzalia");
  expect(sent).not.toContain("Maria Keller");
  expect(sent).not.toContain(SECRET_EMAIL);
  expect(sent).not.toContain("99.99");
}

describe("flm CLI end to end", { timeout: 120_000 }, () => {
  it("ask streams the answer to stdout and a trace to stderr", async () => {
    const r = await runCli(["ask", "What invoices does Maria Keller have?"], { cwd: dir });
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack traces
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("Maria Keller has two invoices [s2].");
    expect(r.stderr).toContain("plan: 2 step(s)");
    expect(r.stderr).toMatch(/s1\s+find_customer\s+ok/);
    expect(r.stderr).toMatch(/s2\s+customer_invoices\s+ok/);
    expect(r.stderr).toMatch(/cloud: 1 request\(s\), \d+ bytes sent to 127\.0\.0\.1/);
    expect(r.stderr).toMatch(/tokens: cloud \d+ in/);
    // The planner saw a placeholder; the local model saw the data.
    expect(cloud.allBodies()).toContain("<PERSON_1>");
    expect(local.allBodies()).toContain("99.99");
    expectNothingLeaked();
  });

  it("ask --json prints the whole run result", async () => {
    const r = await runCli(["ask", "--json", "What invoices does Maria Keller have?"], { cwd: dir });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.text).toContain("two invoices");
    expect(result.steps).toHaveLength(2);
    expect(result.steps[1].output.rows).toHaveLength(2);
    expect(result.trace.egress).toHaveLength(1);
    expect(result.citations).toEqual(["s2"]);
    expectNothingLeaked();
  });

  it("plan is a dry run: shows the exact cloud bytes and runs no tool", async () => {
    const r = await runCli(["plan", "What invoices does Maria Keller have?"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(cloud.requests).toHaveLength(1);
    expect(r.stdout).toContain(cloud.requests[0]!.body); // exactly the bytes that went out
    expect(r.stdout).toContain('"tool": "find_customer"');
    expect(r.stdout).toContain("no tool was run");
    expect(local.requests).toHaveLength(0);
    expectNothingLeaked();
  });

  it("plan --privacy strict shows what the cloud would see in strict mode", async () => {
    const prompt = "Which invoices does Maria Keller have? She mentioned zorvanix and brimtal.";
    const standard = await runCli(["plan", prompt], { cwd: dir });
    expect(standard.code).toBe(0);
    expect(cloud.requests[0]!.body).toContain("zorvanix");
    cloud.requests.length = 0;
    const strict = await runCli(["plan", "--privacy", "strict", prompt], { cwd: dir });
    expect(strict.code).toBe(0);
    expect(strict.stdout).toContain("── privacy: strict");
    const sent = cloud.requests[0]!.body;
    expect(strict.stdout).toContain(sent);
    expect(sent).not.toContain("zorvanix");
    expect(sent).not.toContain("brimtal");
    expect(sent).toContain("Which invoices does <PERSON_1> have? She mentioned <TERM_1> and <TERM_2>.");
    expectNothingLeaked();
    const bad = await runCli(["plan", "--privacy", "paranoid", prompt], { cwd: dir });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("standard, strict");
  });

  it("tools lists the tools with their schemas", async () => {
    const r = await runCli(["tools"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("find_customer(name: string)  [sql:crm]");
    const json = await runCli(["tools", "--json"], { cwd: dir });
    expect(json.stdout.replace(/\s+/g, "")).toContain('"customer_id":{"type":"integer"}');
    const check = await runCli(["tools", "check"], { cwd: dir });
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/ok\s+crm: .*3 tools/);
  });

  it("chat keeps history local and placeholders stable across turns", async () => {
    const r = await runCli(["chat"], {
      cwd: dir,
      stdin: "What invoices does Maria Keller have?\nAnd what did Maria Keller pay in total?\n",
    });
    expect(r.code).toBe(0);
    expect(r.stdout.match(/two invoices/g)).toHaveLength(2);
    expect(cloud.requests).toHaveLength(2);
    const second = cloud.requests[1]!.body;
    // The first turn is in the second request as history, with the same placeholder.
    expect(second.match(/<PERSON_1>/g)?.length).toBeGreaterThanOrEqual(2);
    expect(second).not.toContain("<PERSON_2>");
    // The local answer of turn 1 never goes to the planner.
    expect(second).not.toContain("two invoices");
    expectNothingLeaked();
  });

  it("config errors name the key path and exit 3", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify({
        generator: "http://127.0.0.1:1/v1#m",
        tools: [
          {
            kind: "sql",
            name: "x",
            driver: "sqlite",
            path: "a",
            queries: [{ name: "q", description: "d", sql: 5 }],
          },
        ],
      }),
    );
    const r = await runCli(["--config", bad, "tools"], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("error CONFIG_INVALID:");
    expect(r.stderr).toContain("tools[0].queries[0].sql: expected a string, found number");
    expect(r.stderr).not.toMatch(/\n\s+at /);

    writeFileSync(
      bad,
      JSON.stringify({
        generator: "http://127.0.0.1:1/v1#m",
        planner: "${FLM_TEST_MISSING_PLANNER}",
      }),
    );
    const env = await runCli(["tools", "--config", bad], { cwd: dir });
    expect(env.code).toBe(3);
    expect(env.stderr).toContain("planner: environment variable FLM_TEST_MISSING_PLANNER is not set");

    const none = await runCli(["ask", "hi"], { cwd: tmpdir() === dir ? "/" : join(dir, "..") });
    expect(none.code).toBe(3);
    expect(none.stderr).toContain("error CONFIG_NOT_FOUND");
  });

  it("an untrusted remote generator is refused (exit 3)", async () => {
    const cfg = join(dir, "remote.json");
    writeFileSync(cfg, JSON.stringify({ generator: "openai:gpt-4o", planner: "local" }));
    const r = await runCli(["--config", cfg, "ask", "hi"], {
      cwd: dir,
      env: { OPENAI_API_KEY: "sk-test-not-real-000000" },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("error GENERATOR_UNTRUSTED");
  });

  it("usage errors exit 2; --help exits 0", async () => {
    // Independent invocations run side by side to keep the suite fast.
    const [missing, unknown, help] = await Promise.all([
      runCli(["ask"], { cwd: dir }),
      runCli(["frobnicate"], { cwd: dir }),
      runCli(["plan", "--help"], { cwd: dir }),
    ]);
    expect(missing.code).toBe(2);
    // No argument and nothing on stdin: the prompt is empty.
    expect(missing.stderr).toContain("error USAGE: The prompt read from stdin is empty");
    expect(unknown.code).toBe(2);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("dry run");
    expect(help.stdout).toContain("Exit codes");
  });

  it("a canary named in the prompt is pseudonymized before it leaves", async () => {
    const r = await runCli(["ask", `What invoices does ${CANARY} have?`], { cwd: dir });
    expect(r.code).toBe(0);
    expect(cloud.requests).toHaveLength(1);
    expect(cloud.allBodies()).toContain("<PERSON_1>");
    expectNothingLeaked();
  });

  it("a runtime failure prints `error CODE: message` without a stack and exits 1", async () => {
    cloud.enqueue(reply.json({ steps: [] }));
    // The answer request fails; the local server's one-token prefill reads (warm-ups) do not.
    local.handle((req) =>
      req.json?.max_tokens === 1 ? reply.text(".") : reply.error(500, "local model exploded"),
    );
    try {
      const r = await runCli(["ask", "What is the total per status?"], { cwd: dir, env: { FLM_DEBUG: "" } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error GENERATOR_FAILED: /m);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      local.handle(() => reply.text("Maria Keller has two invoices [s2]."));
    }
  });

  it("a failed prefill read costs nothing but time: the answer still comes", async () => {
    cloud.enqueue(reply.json({ steps: [] }));
    local.enqueue(reply.error(500, "warm-up refused"));
    const r = await runCli(["ask", "What is the total per status?"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Maria Keller has two invoices");
  });
});
