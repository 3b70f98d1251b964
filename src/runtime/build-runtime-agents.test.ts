import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCrmDb } from "../../test/helpers/crm-db.js";
import { type FakeOpenAIServer, reply, startFakeOpenAIServer } from "../testing/fake-openai-server.js";
import { filesystemServer } from "../../test/helpers/mcp-reference-servers.js";
import { isFlmError } from "../errors/flm-error.js";
import { agentNames, resolveAgentConfigs } from "../config/agent-configs.js";
import { buildRuntime, type Runtime } from "./build-runtime.js";
import { ConfigError } from "../config/config-error.js";
import { parseConfig } from "../config/load-config.js";

const CANARY = "CANARY-a9e3-agents";
const { path: dbPath } = createCrmDb(CANARY);
const dir = join(dbPath, "..");
const crm = {
  kind: "sql",
  name: "crm",
  driver: "sqlite",
  path: "crm.sqlite",
  tables: ["customers"],
  queries: [
    {
      name: "customer_notes",
      description: "Notes of every customer.",
      sql: "SELECT id, note FROM customers",
    },
  ],
};
const orders = { kind: "sql", name: "orders", driver: "sqlite", path: "crm.sqlite", tables: ["orders"] };

let cloud: FakeOpenAIServer;
let salesCloud: FakeOpenAIServer;
let local: FakeOpenAIServer;
const runtimes: Runtime[] = [];
beforeAll(async () => {
  [cloud, salesCloud, local] = await Promise.all([
    startFakeOpenAIServer(),
    startFakeOpenAIServer(),
    startFakeOpenAIServer(),
  ]);
});
afterAll(async () => {
  for (const r of runtimes) await r.close();
  await Promise.all([cloud.close(), salesCloud.close(), local.close()]);
});

function config(extra: Record<string, unknown>) {
  return parseConfig(
    { planner: `${cloud.url}#top-planner`, generator: `${local.url}#local`, tools: [crm, orders], ...extra },
    { cwd: dir, env: {} },
  );
}

async function build(extra: Record<string, unknown>, options: Parameters<typeof buildRuntime>[1] = {}) {
  const runtime = await buildRuntime(config(extra), { env: {}, ...options });
  runtimes.push(runtime);
  return runtime;
}

function issuesOf(extra: Record<string, unknown>): string[] {
  try {
    config(extra);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error("expected a ConfigError");
}

describe("agents in one config", () => {
  it("inherit what they leave out and see only their tool subset", async () => {
    const data = config({
      name: "main",
      limits: { maxSteps: 5, stepTimeoutMs: 1000 },
      agents: {
        sales: {
          description: "Orders only",
          tools: ["orders"],
          planner: "local",
          limits: { maxSteps: 2 },
        },
        everything: {},
      },
    });
    expect(agentNames(data)).toEqual(["main", "sales", "everything"]);
    const [main, sales, everything] = resolveAgentConfigs(data);
    expect(main.tools).toEqual(["crm", "orders"]);
    expect(sales).toMatchObject({
      tools: ["orders"],
      planner: "local",
      generator: `${local.url}#local`,
      limits: { maxSteps: 2, stepTimeoutMs: 1000 },
    });
    expect(everything).toMatchObject({ tools: ["crm", "orders"], planner: `${cloud.url}#top-planner` });

    const runtime = await buildRuntime(data, { env: {} });
    runtimes.push(runtime);
    expect(Object.keys(runtime.agents)).toEqual(["main", "sales", "everything"]);
    expect(runtime.agent).toBe(runtime.agents.main);
    expect(runtime.descriptions).toEqual({ main: undefined, sales: "Orders only", everything: undefined });
    const names = async (name: string) =>
      (await runtime.agents[name].tools()).map((t) => t.source?.split(":")[1]);
    expect(new Set(await names("sales"))).toEqual(new Set(["orders"]));
    expect(new Set(await names("main"))).toEqual(new Set(["crm", "orders"]));
    expect(runtime.describe("sales")).toMatchObject({
      tools: ["orders"],
      planner: expect.stringMatching(/local/),
    });
    expect(runtime.describe("main").planner).toMatch(/^cloud:/);
    // The sources are the runtime's own, not copies per agent.
    expect(runtime.sources.map((s) => s.name)).toEqual(["crm", "orders"]);
  });

  it("open a shared MCP server once (one child process for every agent)", async () => {
    const starts = join(dir, `starts-${Date.now()}.log`);
    const counter = join(dir, "count-start.mjs");
    writeFileSync(
      counter,
      `import { appendFileSync } from "node:fs";\nappendFileSync(${JSON.stringify(starts)}, process.pid + "\\n");\n`,
    );
    writeFileSync(join(dir, "readme.txt"), "hello");
    const fs = filesystemServer(dir);
    const files = {
      kind: "mcp",
      name: "files",
      command: fs.command,
      args: ["--import", counter, ...fs.args],
    };
    const runtime = await build({
      tools: [crm, files],
      agents: { a: { tools: ["files"] }, b: { tools: ["files", "crm"] }, c: { tools: ["crm"] } },
    });
    const sourcesOf = async (name: string) =>
      new Set((await runtime.agents[name].tools()).map((t) => t.source?.split(":")[1]));
    expect(await sourcesOf("a")).toEqual(new Set(["files"]));
    expect(await sourcesOf("b")).toEqual(new Set(["files", "crm"]));
    expect(await sourcesOf("c")).toEqual(new Set(["crm"]));
    expect(await sourcesOf("flm")).toEqual(new Set(["files", "crm"]));
    expect(readFileSync(starts, "utf8").trim().split("\n")).toHaveLength(1);
  });

  it("build only the chosen agent when asked (the CLI's --agent)", async () => {
    const runtime = await build({ agents: { sales: { tools: ["orders"] } } }, { agent: "sales", only: true });
    expect(Object.keys(runtime.agents)).toEqual(["sales"]);
    expect(runtime.agent).toBe(runtime.agents.sales);
    expect(runtime.name).toBe("sales");
    const error = await buildRuntime(config({}), { env: {}, agent: "nope" }).catch((e) => e);
    expect(isFlmError(error, "CONFIG_INVALID")).toBe(true);
    expect(error.hint).toContain("flm");
  });

  it("reject unknown tools, bad or clashing names, and a per-agent privacy section, by key path", () => {
    expect(issuesOf({ agents: { sales: { tools: ["orders", "billing"] } } })).toEqual([
      'agents.sales.tools[1]: no tool source named "billing" (expected one of the top-level tools: crm, orders)',
    ]);
    expect(issuesOf({ agents: { "sales v2": {} } })[0]).toMatch(/^agents\.sales v2: expected an agent name/);
    expect(issuesOf({ agents: { flm: {} } })[0]).toMatch(
      /^agents\.flm: the top-level agent is already named "flm"/,
    );
    expect(issuesOf({ name: "main", agents: { Main: {} } })[0]).toMatch(/^agents\.Main: the top-level agent/);
    expect(issuesOf({ agents: { a: {}, A: {} } })).toEqual([
      'agents.A: duplicates the agent name "a" (names ignore case)',
    ]);
    expect(issuesOf({ agents: { sales: { privacy: { enabled: false } } } })[0]).toMatch(
      /^agents\.sales\.privacy: unknown key/,
    );
    expect(issuesOf({ agents: { sales: { planner: { provider: "opnai", model: "x" } } } })[0]).toMatch(
      /^agents\.sales\.planner\.provider: expected/,
    );
  });

  it("apply the generator trust check to an agent's own generator, naming its key path", async () => {
    const error = await build({
      agents: { remote: { generator: "https://api.example.com/v1#big" } },
    }).catch((e) => e);
    expect(isFlmError(error, "GENERATOR_UNTRUSTED")).toBe(true);
    expect(error.message).toContain("agents.remote.generator: api.example.com");
    const planner = await build({
      agents: { x: { planner: { provider: "openai", model: "gpt-4o", apiKey: "k", location: "local" } } },
    }).catch((e) => e);
    expect(isFlmError(planner, "GENERATOR_UNTRUSTED")).toBe(true);
    expect(planner.message).toContain("agents.x.planner: api.openai.com");
  });
});

describe("an agent's own cloud planner is behind the egress guard", () => {
  // The top-level planner is another server: only the agent's own planner can have been asked.
  // A canary typed in the prompt would be replaced by the ID detector before egress; IDs are
  // allowed here so that the egress guard is what stops it.
  const build2 = () =>
    build({
      privacy: { canaries: [CANARY], entities: { ID: "allow" } },
      agents: { sales: { tools: ["crm"], planner: `${salesCloud.url}#sales-planner` } },
    });

  it("tool results with the canary reach the local model, never the agent's cloud planner", async () => {
    const runtime = await build2();
    salesCloud.handle(() => reply.json({ steps: [{ id: "s1", tool: "customer_notes", args: {} }] }));
    local.handle(() => reply.text("Three customers have notes [s1]."));
    const [cloudBefore, salesBefore, localBefore] = [
      cloud.requests.length,
      salesCloud.requests.length,
      local.requests.length,
    ];
    const result = await runtime.agents.sales.run("Summarize the customer notes");
    expect(result.text).toContain("Three customers");
    expect(cloud.requests.length).toBe(cloudBefore); // the top-level planner was not used
    const sent = salesCloud.requests.slice(salesBefore);
    expect(sent.length).toBeGreaterThan(0);
    // The data was really in play: the local generator saw the canary.
    expect(local.requests.slice(localBefore).some((r) => r.body.includes(CANARY))).toBe(true);
    for (const r of sent) expect(r.body).not.toContain(CANARY);
    expect(result.trace.egress.every((e) => e.decision === "allowed")).toBe(true);
  });

  it("a request carrying the canary is blocked before it leaves", async () => {
    const runtime = await build2();
    const before = salesCloud.requests.length;
    const error = await runtime.agents.sales.run(`Who wrote ${CANARY}-1 in a note?`).catch((e) => e);
    expect(isFlmError(error, "EGRESS_BLOCKED"), String(error)).toBe(true);
    expect(salesCloud.requests.length).toBe(before); // nothing was sent
  });
});
