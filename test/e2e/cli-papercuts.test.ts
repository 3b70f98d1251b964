/**
 * What a new user trips over first (#16 §5), each through the real `flm` binary: prompts from
 * stdin, pipes closed early, chat commands that stay local, compact tool listings, the progress
 * bar's unit, config mistakes with their own messages, and user tokens only `serve` needs.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reply } from "../helpers/fake-openai-server.js";
import {
  CLI_ENTRY,
  type CliFixture,
  crmTool,
  findCustomerPlan,
  findCustomerQuery,
  lastUserText,
  runCli,
  startCliFixture,
  writeFlmConfig,
  writeSqliteDb,
} from "./cli-helpers.js";

const QUESTION = "What invoices does Maria Keller have?";
let fixture: CliFixture;

beforeAll(async () => {
  fixture = await startCliFixture("papercuts");
  fixture.cloud.handle((req) => reply.json(findCustomerPlan(req, "x")));
  fixture.local.handle(() => reply.text("Maria Keller is a customer [s1]."));
  writeSqliteDb(join(fixture.dir, "crm.sqlite"), {
    customers: {
      columns: "id INTEGER PRIMARY KEY, name TEXT, email TEXT",
      rows: [[1, "Maria Keller", "maria.keller@example.org"]],
    },
  });
  writeFlmConfig(fixture, { tools: [crmTool([findCustomerQuery("id, name, email")])] });
});

afterAll(() => fixture?.close());

beforeEach(() => {
  fixture.cloud.requests.length = 0;
  fixture.local.requests.length = 0;
});

/** Writes a config file of its own into a fresh folder under the fixture and returns the folder. */
function configDir(name: string, config: Record<string, unknown> | string, file = "flm.config.json"): string {
  const dir = join(fixture.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), typeof config === "string" ? config : JSON.stringify(config));
  return dir;
}

describe("flm ask reads the prompt from stdin", { timeout: 120_000 }, () => {
  it("echo q | flm ask", async () => {
    const r = await runCli(["ask"], { cwd: fixture.dir, stdin: `${QUESTION}\n` });
    expect(r.stderr).toBe(r.stderr.replace(/EPIPE|at .*\.ts:\d+/, ""));
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("Maria Keller is a customer [s1].");
    expect(fixture.cloud.requests).toHaveLength(1);
    expect(lastUserText(fixture.cloud.requests[0]!)).toMatch(/What invoices does <PERSON_1> have\?/);
    expect(fixture.cloud.allBodies()).not.toContain("Maria Keller");
    // The trace shows the prompt as the cloud saw it.
    expect(r.stderr).toContain('cloud saw the prompt as: "What invoices does <PERSON_1> have?"');
  });

  it("flm ask - reads stdin too; an empty stdin is a usage error", async () => {
    const r = await runCli(["ask", "-", "--no-trace"], { cwd: fixture.dir, stdin: QUESTION });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Maria Keller is a customer");
    const empty = await runCli(["ask", "-"], { cwd: fixture.dir, stdin: "  \n" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("error USAGE: The prompt read from stdin is empty.");
    expect(fixture.cloud.requests).toHaveLength(1);
  });
});

describe("a closed pipe", { timeout: 120_000 }, () => {
  it("flm tools | head stops quietly: no EPIPE, no stack", () => {
    // Enough tools that the output outgrows the pipe's buffer after head has gone.
    const queries = Array.from({ length: 400 }, (_, i) => ({
      name: `query_${i}`,
      description: `Query number ${i}: ${"a long description ".repeat(10)}`,
      sql: "SELECT id FROM customers WHERE id = :id",
      params: { type: "object", properties: { id: { type: "integer" } }, required: ["id"] },
    }));
    const dir = configDir("many-tools", {
      planner: "local",
      generator: `${fixture.local.url}#local-model`,
      tools: [{ ...crmTool(queries), path: join(fixture.dir, "crm.sqlite") }],
    });
    const node = [process.execPath, ...CLI_ENTRY].map((a) => `'${a}'`).join(" ");
    for (const args of ["tools --json", "tools"]) {
      const r = spawnSync(
        "bash",
        [
          "-c",
          `set -o pipefail; ${node} ${args} | head -c 200 >/dev/null; echo "flm-exit=\${PIPESTATUS[0]}" >&2`,
        ],
        { cwd: dir, encoding: "utf8", env: { ...process.env, OPENAI_API_KEY: "" }, timeout: 60_000 },
      );
      expect(r.stderr).toMatch(/flm-exit=0/);
      expect(r.stderr).not.toMatch(/EPIPE|Error|at .*:\d+:\d+/);
    }
  });
});

describe("flm chat commands stay local", { timeout: 120_000 }, () => {
  it("/help, /trace, /exit and unknown /commands never reach a model", async () => {
    const stdin = ["/help", "/frobnicate now", "/trace", QUESTION, "/trace", "/exit", "after exit"].join(
      "\n",
    );
    const r = await runCli(["chat"], { cwd: fixture.dir, stdin: `${stdin}\n` });
    expect(r.code).toBe(0);
    expect(fixture.cloud.requests).toHaveLength(1);
    // One answer (the local server's one-token prefill reads, warm-ups, aside).
    expect(fixture.local.requests.filter((r) => r.json?.max_tokens !== 1)).toHaveLength(1);
    const sent = fixture.cloud.allBodies() + fixture.local.allBodies();
    for (const word of ["/help", "frobnicate", "/trace", "/exit", "after exit"])
      expect(sent).not.toContain(word);
    expect(r.stderr).toContain("/trace   the full trace of the last answer");
    expect(r.stderr).toContain("Unknown command /frobnicate (not sent to any model)");
    expect(r.stderr).toContain("No answer yet");
    expect(r.stderr).toMatch(/── trace [0-9a-f-]+\nplan: 1 step\(s\)/);
    expect(r.stdout).toContain("Maria Keller is a customer");
  });
});

describe("flm tools", { timeout: 120_000 }, () => {
  it("prints compact signatures; --json keeps the full schemas", async () => {
    const r = await runCli(["tools"], { cwd: fixture.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("find_customer(name: string)  [sql:crm]\n  Find a customer by full name.");
    expect(r.stdout).not.toContain('"properties"');
    const json = await runCli(["tools", "--json"], { cwd: fixture.dir });
    const tools = JSON.parse(json.stdout);
    expect(tools[0].inputSchema.properties.name).toEqual({ type: "string" });
  });
});

describe("flm docs ingest", { timeout: 120_000 }, () => {
  it("counts files as files on a terminal", () => {
    const dir = join(fixture.dir, "notes");
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, `note-${i}.md`), `# Note ${i}\n\nSome text ${i}.\n`);
    const node = [process.execPath, ...CLI_ENTRY].map((a) => `'${a}'`).join(" ");
    // script(1) gives flm a terminal, so the progress bar shows.
    const r = spawnSync(
      "script",
      ["-qec", `${node} docs ingest '${dir}' --index '${join(fixture.dir, "notes.sqlite")}'`, "/dev/null"],
      { cwd: fixture.dir, encoding: "utf8", env: { ...process.env, CI: "" }, timeout: 60_000 },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ingesting \[#+\] 100% 12 \/ 12 files/);
    expect(r.stdout).not.toMatch(/ingesting[^\n]* B \//);
  });
});

describe("config mistakes get their own messages", { timeout: 120_000 }, () => {
  it("a ${VAR without its closing brace", async () => {
    const dir = configDir("unclosed", {
      planner: "local",
      generator: "http://127.0.0.1:1/v1#m",
      users: [{ token: "${FLM_TOKEN_ALICE", id: "alice" }],
    });
    const r = await runCli(["tools"], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'error CONFIG_ENV_SYNTAX: users[0].token: "${FLM_TOKEN_ALICE" has no closing brace',
    );
  });

  it("unknown keys get a did-you-mean, at any depth", async () => {
    const dir = configDir("typos", {
      planner: "local",
      generator: `${fixture.local.url}#local-model`,
      limts: { maxSteps: 3 },
      tools: [{ ...crmTool([findCustomerQuery("id")]), sensitve: [] }],
    });
    const r = await runCli(["tools"], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('limts: unknown key; did you mean "limits"?');
    expect(r.stderr).toContain('tools[0].sensitve: unknown key; did you mean "sensitive"?');
  });

  it("only flm serve needs the gateway users' tokens", async () => {
    const dir = configDir("tokens", {
      planner: "local",
      generator: `${fixture.local.url}#local-model`,
      users: [{ token: "${FLM_TOKEN_NOT_SET_ANYWHERE}", id: "alice" }],
    });
    const tools = await runCli(["tools"], { cwd: dir });
    expect(tools.code).toBe(0);
    const serve = await runCli(["serve", "--port", "0"], { cwd: dir });
    expect(serve.code).toBe(3);
    expect(serve.stderr).toContain(
      "error CONFIG_ENV_MISSING: users[0].token: environment variable FLM_TOKEN_NOT_SET_ANYWHERE is not set",
    );
  });
});
