/**
 * `flm serve` end to end: the real binary, a config with `${ENV}` tokens, scripted model servers,
 * driven by the official `openai` npm client; then SIGTERM must drain and exit 0.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAIServer, type RecordedRequest, reply } from "../../src/testing/fake-openai-server.js";
import { specConformance } from "../helpers/openai-spec.js";
import {
  type CliFixture,
  type CliProcess,
  crmTool,
  findCustomerPlan,
  findCustomerQuery,
  startCli,
  startCliFixture,
  writeFlmConfig,
  writeSqliteDb,
} from "./cli-helpers.js";

const CANARY = "Ottoline Brackenridge";
const TOKEN = "tok-e2e-alice-0123456789";
/** Responses are recorded here and validated by one test at the end (skipped without ../shared). */
const conformance = specConformance("flm serve");
const valid = conformance.record;

let fixture: CliFixture;
let cloud: FakeOpenAIServer;
let local: FakeOpenAIServer;
let flm: CliProcess;
let baseURL: string;

function plannerReply(req: RecordedRequest) {
  return reply.json(findCustomerPlan(req));
}

beforeAll(async () => {
  fixture = await startCliFixture("serve");
  ({ cloud, local } = fixture);
  const { dir } = fixture;
  cloud.handle(plannerReply);
  local.handle(() => reply.text("The customer is a VIP account [s1]."));
  writeSqliteDb(join(dir, "crm.sqlite"), {
    customers: {
      columns: "id INTEGER PRIMARY KEY, name TEXT, note TEXT",
      rows: [
        [1, "Maria Keller", `VIP, referred by ${CANARY}`],
        [2, CANARY, "canary row"],
      ],
    },
  });
  writeFlmConfig(fixture, {
    name: "crm-agent",
    tools: [crmTool([findCustomerQuery("id, name, note")])],
    privacy: { canaries: [CANARY] },
    users: [{ token: "${FLM_E2E_TOKEN}", id: "alice", roles: ["analyst"] }],
  });
  flm = startCli(["serve", "--port", "0"], { cwd: dir, env: { FLM_E2E_TOKEN: TOKEN } });
  const match = await flm.waitForStderr(/listening on (http:\/\/\S+)/);
  baseURL = `${match[1]}/v1`;
}, 30_000);

afterAll(async () => {
  if (flm && flm.child.exitCode === null && flm.child.signalCode === null) flm.child.kill("SIGKILL");
  await fixture?.close();
});

describe("flm serve end to end", { timeout: 30_000 }, () => {
  it("prints the listening line with the configured model name and never the token", () => {
    expect(flm.stderr).toContain("(models: crm-agent)");
    expect(flm.stderr).not.toContain(TOKEN);
  });

  it("answers a non-streaming completion through the openai client", async () => {
    const client = new OpenAI({ baseURL, apiKey: TOKEN, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: "crm-agent",
      messages: [{ role: "user", content: "What do we know about Maria Keller?" }],
    });
    valid("CreateChatCompletionResponse", completion);
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("crm-agent");
    expect(completion.choices[0]?.message.content).toBe("The customer is a VIP account [s1].");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    // The planner saw a placeholder; the local model saw the row.
    expect(cloud.allBodies()).toContain("<PERSON_1>");
    expect(local.allBodies()).toContain("VIP, referred by");
  });

  it("streams a completion as spec-valid chunks ending with finish_reason stop", async () => {
    const client = new OpenAI({ baseURL, apiKey: TOKEN, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: "crm-agent",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "What do we know about Maria Keller?" }],
    });
    let text = "";
    const finishes: (string | null)[] = [];
    let usageChunks = 0;
    for await (const chunk of stream) {
      valid("CreateChatCompletionStreamResponse", chunk);
      expect(chunk.object).toBe("chat.completion.chunk");
      for (const choice of chunk.choices) {
        text += choice.delta.content ?? "";
        finishes.push(choice.finish_reason);
      }
      if (chunk.usage) usageChunks++;
    }
    expect(text).toBe("The customer is a VIP account [s1].");
    expect(finishes.at(-1)).toBe("stop");
    expect(usageChunks).toBe(1);
  });

  it("refuses a bad token with 401 in OpenAI's error format, running nothing", async () => {
    const before = cloud.requests.length;
    const client = new OpenAI({ baseURL, apiKey: "tok-wrong-000000000", maxRetries: 0 });
    const error = await client.chat.completions
      .create({ model: "crm-agent", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe("invalid_api_key");
    // The raw wire: a spec-valid error body and a WWW-Authenticate challenge.
    const raw = await fetch(`${baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "crm-agent", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(raw.status).toBe(401);
    expect(raw.headers.get("www-authenticate")).toContain("Bearer");
    const body = await raw.json();
    valid("ErrorResponse", body);
    expect(body.error.code).toBe("invalid_api_key");
    expect(cloud.requests.length).toBe(before);
  });

  it("lists the model, reports health and exposes Prometheus metrics", async () => {
    const client = new OpenAI({ baseURL, apiKey: TOKEN, maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["crm-agent"]);

    const origin = baseURL.replace(/\/v1$/, "");
    const health = await fetch(`${origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", models: ["crm-agent"] });

    const metrics = await fetch(`${origin}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const body = await metrics.text();
    expect(body).toMatch(
      /flm_http_requests_total\{[^}]*route="\/v1\/chat\/completions"[^}]*status="200"[^}]*\} 2/,
    );
    expect(body).toMatch(/flm_http_requests_total\{[^}]*status="401"[^}]*\} 2/);
    expect(body).toMatch(/flm_tokens_total\{[^}]*location="cloud"[^}]*\} [1-9]/);
    expect(body).toMatch(/flm_tokens_total\{[^}]*location="local"[^}]*\} [1-9]/);
    expect(body).toContain("flm_runs_in_flight 0");
    expect(body).toMatch(/flm_runs_total\{agent="crm-agent",outcome="ok"\} 2/);
    expect(body).toContain("# TYPE process_resident_memory_bytes gauge");
  });

  it("keeps runs in .flm/traces.sqlite, is ready once the model answers and the source opens, serves the console", async () => {
    const origin = baseURL.replace(/\/v1$/, "");
    expect(existsSync(join(fixture.dir, ".flm", "traces.sqlite"))).toBe(true);
    const ready = await fetch(`${origin}/readyz`);
    const body = await ready.json();
    expect(ready.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe("ready");
    expect(body.checks.map((c: { name: string; ok: boolean }) => [c.name.split(":")[0], c.ok])).toEqual([
      ["generator", true],
      ["source", true],
    ]);
    expect(local.requests.some((r) => r.body.includes("Reply with OK."))).toBe(true);
    const console = await fetch(`${origin}/console/runs`, { redirect: "manual" });
    expect(console.status).toBe(303);
    expect(console.headers.get("location")).toContain("/console/login");
    expect(flm.stderr).toContain('no user has the admin role: add "admin" to a user\'s roles');
  });

  it("shuts down gracefully on SIGTERM (exit 0) and nothing sensitive reached the cloud", async () => {
    const t0 = Date.now();
    flm.child.kill("SIGTERM");
    const exit = await Promise.race([
      flm.exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no exit in 5 s")), 5_000)),
    ]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(flm.stderr).toContain("shutting down");
    expect(flm.stderr).not.toMatch(/\n\s+at /);

    const sent = cloud.allBodies();
    expect(cloud.requests.length).toBeGreaterThanOrEqual(2);
    expect(sent).not.toContain(CANARY);
    expect(sent).not.toContain("Ottoline");
    expect(sent).not.toContain("Maria Keller");
    expect(sent).not.toContain("VIP, referred by");
    expect(sent).not.toContain(TOKEN);

    // One JSON log line per request on stdout (not a TTY), with ids, status and tokens, no content.
    const lines = flm.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>);
    const runs = lines.filter((l) => l.route === "/v1/chat/completions" && l.status === 200);
    expect(runs).toHaveLength(2);
    for (const line of runs) {
      expect(line).toMatchObject({ msg: "request", userId: "alice", agent: "crm-agent", outcome: "ok" });
      expect(line.tokens.cloudIn).toBeGreaterThan(0);
      expect(line.runId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(lines.filter((l) => l.status === 401).length).toBeGreaterThanOrEqual(2);
    for (const secret of [CANARY, "Ottoline", "Maria Keller", "VIP", "What do we know", TOKEN]) {
      expect(flm.stdout).not.toContain(secret);
    }
  });
});

conformance.defineTest();
