/**
 * A failing cloud planner shows its real cause (issue 11, item 9), through the CLI: which
 * endpoint, which status or error, that flm fell back to the local planner, and what the fallback
 * did. In the error (`PLANNER_FAILED`, never the small model's `PLAN_INVALID`), in `flm ask
 * --json` (an error object on stdout), as a warning plus `trace.plannerFallback` when the
 * fallback answered, and in the audit log.
 */
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RecordedRequest, type Reply, reply } from "../helpers/fake-openai-server.js";
import {
  type CliFixture,
  crmTool,
  findCustomerQuery,
  runCli,
  startCliFixture,
  writeFlmConfig,
  writeSqliteDb,
} from "./cli-helpers.js";

let fixture: CliFixture;
let cloudReply: () => Reply;
let localPlans = false;

/** The local model: plans (JSON schema requests) or answers; plans well only when asked to. */
function localReply(req: RecordedRequest): Reply {
  const planning = req.json?.response_format !== undefined; // plans are decoded as JSON
  if (!planning) return reply.text("Maria Keller has two invoices.");
  return localPlans
    ? reply.json({ steps: [{ id: "s1", tool: "find_customer", args: { name: "Maria Keller" } }] })
    : reply.text("Sure! Here is what I would do: look the customer up.");
}

beforeAll(async () => {
  fixture = await startCliFixture("planner-failure");
  fixture.cloud.handle(() => cloudReply());
  fixture.local.handle(localReply);
  writeSqliteDb(join(fixture.dir, "crm.sqlite"), {
    customers: { columns: "id INTEGER PRIMARY KEY, name TEXT", rows: [[1, "Maria Keller"]] },
  });
});
afterAll(() => fixture?.close());
beforeEach(() => {
  localPlans = false;
});

const config = (extra: Record<string, unknown> = {}) =>
  writeFlmConfig(fixture, {
    tools: [crmTool([findCustomerQuery("id, name")])],
    audit: { path: "audit.sqlite" },
    ...extra,
  });
const askJson = () => runCli(["ask", "--json", "Who is Maria Keller?"], { cwd: fixture.dir });

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("the cloud planner fails and the local fallback cannot plan", { timeout: 120_000 }, () => {
  for (const [status, message] of [
    [503, "upstream overloaded"],
    [401, "Incorrect API key provided"],
    [500, "internal error"],
  ] as const)
    it(`HTTP ${status}: PLANNER_FAILED names the endpoint, the status and the fallback`, async () => {
      config();
      cloudReply = () => reply.error(status, message);
      const r = await askJson();
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error PLANNER_FAILED: /m);
      expect(r.stderr).not.toContain("PLAN_INVALID");
      const { error } = JSON.parse(r.stdout);
      expect(error).toMatchObject({
        code: "PLANNER_FAILED",
        status,
        endpoint: `${fixture.cloud.url}/chat/completions`,
        plannerFallback: { cause: { status, code: "PLANNER_FAILED" } },
      });
      expect(error.message).toContain(`HTTP ${status}`);
      expect(error.message).toContain(`${fixture.cloud.url}/chat/completions`);
      expect(error.message).toMatch(/fell back to the local planner .*whose plan was still invalid/);
      if (status === 401) expect(error.hint).toContain("API key");
    });

  it("a refused connection: the endpoint and that there was no response", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    config({ planner: `${url}#planner-model` });
    const r = await askJson();
    const { error } = JSON.parse(r.stdout);
    expect(error.code).toBe("PLANNER_FAILED");
    expect(error.message).toContain(`${url}/chat/completions`);
    expect(error.message).toContain("no response");
    expect(error.message).toContain("fell back to the local planner");
  });

  it("a timeout: PLANNER_TIMEOUT as the cause", async () => {
    config({ limits: { plannerTimeoutMs: 300 } });
    cloudReply = () => reply.hang();
    const r = await askJson();
    const { error } = JSON.parse(r.stdout);
    expect(error.code).toBe("PLANNER_FAILED");
    expect(error.plannerFallback.cause.code).toBe("PLANNER_TIMEOUT");
    expect(error.message).toMatch(/did not answer within 300 ms.*fell back to the local planner/);
  });
});

describe("the cloud planner fails and the local fallback plans", { timeout: 120_000 }, () => {
  it("answers, with a warning, trace.plannerFallback and an audit record", async () => {
    config();
    cloudReply = () => reply.error(503, "upstream overloaded");
    localPlans = true;
    const text = await runCli(["ask", "Who is Maria Keller?"], { cwd: fixture.dir });
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(
      /warning: The cloud planner .* failed \(.*HTTP 503\); flm planned with the local model/,
    );
    const json = await askJson();
    expect(json.code).toBe(0);
    const { trace } = JSON.parse(json.stdout);
    expect(trace.plannerFallback).toMatchObject({
      cause: { code: "PLANNER_FAILED", status: 503, endpoint: `${fixture.cloud.url}/chat/completions` },
    });
    expect(trace.warnings).toEqual([
      { kind: "planner-fallback", message: expect.stringContaining("HTTP 503") },
    ]);
    const audit = await runCli(["audit", "show", "--json"], { cwd: fixture.dir });
    const records = JSON.parse(audit.stdout) as Array<{ purpose: string; reason?: string }>;
    expect(records.some((r) => r.purpose === "plan-fallback" && r.reason?.includes("HTTP 503"))).toBe(true);
  });
});
