/**
 * What the gateway keeps of each run (finished, failed, blocked, cancelled) in its trace store,
 * GET /v1/traces/:id over it, /readyz, and apps mounted beside the API.
 */
import { Hono } from "hono";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { reply } from "../../test/helpers/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import { createAgent } from "../agent/create-agent.js";
import type { ReadinessReport } from "../core/readiness.js";
import { EgressBlockedError } from "../privacy/privacy-errors.js";
import { defineTool } from "../tools/define-tool.js";
import { openSqliteTraceStore } from "../traces/sqlite-trace-store.js";
import type { TraceStore } from "../traces/trace-store.js";
import { createGateway, type GatewayOptions, type ListeningGateway } from "./create-gateway.js";

const ALICE = "alice-token-0123456789";
const BOB = "bob-token-0123456789";
const CANARY = "CANARY-7d1e-gateway-traces";
const users = [
  { token: ALICE, id: "alice", roles: ["analyst"] },
  { token: BOB, id: "bob", roles: [] },
];
const lookup = defineTool({
  name: "lookup_customer",
  description: "Find a customer by city",
  input: z.object({ city: z.string() }),
  run: async () => ({ rows: [{ name: "Hannah Schneider", account: CANARY }] }),
});
const plan = { steps: [{ id: "s1", tool: "lookup_customer", args: { city: "Berlin" } }] };

let models: FakeModels;
let gateway: ListeningGateway | undefined;
let traces: TraceStore;
const errors: unknown[] = [];
beforeEach(async () => {
  errors.length = 0;
  models = await startFakeModels();
  traces = await openSqliteTraceStore({ path: ":memory:", pruneIntervalMs: 0 });
});
afterEach(async () => {
  await gateway?.close({ drainTimeoutMs: 50 });
  gateway = undefined;
  await models.close();
  await traces.close();
});

async function start(options: Partial<GatewayOptions> = {}, plannerFetch?: typeof fetch) {
  if (plannerFetch) {
    await models.close();
    models = await startFakeModels({ plannerFetch });
  }
  const agent = createAgent({ planner: models.planner, generator: models.generator, tools: [lookup] });
  gateway = await createGateway({
    agents: { flm: agent },
    users,
    traceStore: traces,
    onError: (e) => errors.push(e),
    ...options,
  }).listen({ port: 0 });
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: ALICE, maxRetries: 0 });
  const traceOf = (id: string, token = ALICE) =>
    fetch(`${gateway!.url}/v1/traces/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return { url: gateway.url, client, traceOf };
}

async function ask(client: OpenAI, content: string, stream = false): Promise<string> {
  if (stream) {
    const { response, data } = await client.chat.completions
      .create({ model: "flm", stream: true, messages: [{ role: "user", content }] })
      .withResponse();
    for await (const _ of data);
    return response.headers.get("x-flm-trace-id")!;
  }
  const { response } = await client.chat.completions
    .create({ model: "flm", messages: [{ role: "user", content }] })
    .withResponse();
  return response.headers.get("x-flm-trace-id")!;
}

describe("gateway trace store", () => {
  it("keeps a finished run: its trace, who and which agent, the prompt as typed and the answer", async () => {
    const { client, traceOf } = await start();
    models.cloud.enqueue(reply.json(plan));
    models.local.enqueue(reply.text("Hannah lives in Berlin [s1]."));
    const id = await ask(client, "Who lives in Berlin?");
    const trace = await (await traceOf(id)).json();
    expect(trace).toMatchObject({
      id,
      status: "ok",
      agent: "flm",
      user: "alice",
      prompt: "Who lives in Berlin?",
      plannerPrompt: "Who lives in Berlin?",
      answer: "Hannah lives in Berlin [s1].",
      citations: ["s1"],
      steps: [{ id: "s1", tool: "lookup_customer", status: "ok" }],
    });
    expect(trace.egress[0]).toMatchObject({ purpose: "plan", decision: "allowed" });
    expect(trace.durationMs).toBeGreaterThan(0);
    expect(JSON.stringify(trace)).not.toContain(CANARY); // tool results are never kept
    expect((await traceOf(id, BOB)).status).toBe(404);
    const listed = await traces.list();
    expect(listed.runs.map((r) => [r.id, r.userId, r.agent, r.status])).toEqual([[id, "alice", "flm", "ok"]]);
  });

  it("keeps a streamed run the same way", async () => {
    const { client, traceOf } = await start();
    models.cloud.enqueue(reply.json(plan));
    models.local.enqueue(reply.text("Streamed [s1]."));
    const id = await ask(client, "Berlin, streamed?", true);
    await expect.poll(async () => (await traceOf(id)).status).toBe(200);
    expect(await (await traceOf(id)).json()).toMatchObject({ status: "ok", answer: "Streamed [s1]." });
  });

  it("keeps a failed run with what it did until it failed", async () => {
    const { client, traceOf } = await start();
    models.cloud.enqueue(reply.error(500, "upstream broke"));
    const error = await ask(client, "Berlin?").catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const id = error.headers.get("x-flm-trace-id");
    const trace = await (await traceOf(id)).json();
    expect(trace).toMatchObject({ status: "error", error: { code: "PLANNER_FAILED" }, prompt: "Berlin?" });
    expect(trace.egress).toHaveLength(1);
    expect(trace.stages.plan).toBeGreaterThan(0);
  });

  it("keeps a blocked run without any of its content (prompt, planner prompt, body)", async () => {
    const blocking: typeof fetch = async () => {
      throw new EgressBlockedError("cloud.example", [{ type: "CANARY", origin: "canary" }]);
    };
    const { client, traceOf } = await start({}, blocking);
    const error = await ask(client, `Mail ${CANARY} please`).catch((e) => e);
    expect(error.status).toBe(403);
    const id = error.headers.get("x-flm-trace-id");
    const body = await (await traceOf(id)).text();
    expect(body).not.toContain(CANARY);
    const trace = JSON.parse(body);
    expect(trace).toMatchObject({ status: "blocked", error: { code: "EGRESS_BLOCKED" } });
    expect(trace.prompt).toBeUndefined();
    expect(trace.plannerPrompt).toBeUndefined();
    expect(trace.egress[0]).toMatchObject({ decision: "blocked", body: "[blocked: not sent]" });
    expect((await traces.list({ blocked: true })).runs.map((r) => r.id)).toEqual([id]);
  });

  it("answers the request when the trace store fails, and reports the failure", async () => {
    const broken: TraceStore = { ...traces, put: async () => Promise.reject(new Error("disk full")) };
    const { client } = await start({ traceStore: broken });
    models.cloud.enqueue(reply.json(plan));
    models.local.enqueue(reply.text("Still answered [s1]."));
    const completion = await client.chat.completions.create({
      model: "flm",
      messages: [{ role: "user", content: "Berlin?" }],
    });
    expect(completion.choices[0].message.content).toBe("Still answered [s1].");
    expect(errors.map((e) => (e as Error).message)).toEqual(["disk full"]);
  });

  it("keeps runs in its own in-memory store when given none", async () => {
    const agent = createAgent({ planner: models.planner, generator: models.generator, tools: [lookup] });
    gateway = await createGateway({ agents: { flm: agent }, users }).listen({ port: 0 });
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: ALICE, maxRetries: 0 });
    models.cloud.enqueue(reply.json(plan));
    models.local.enqueue(reply.text("ok [s1]"));
    const id = await ask(client, "Berlin?");
    const res = await fetch(`${gateway.url}/v1/traces/${id}`, {
      headers: { authorization: `Bearer ${ALICE}` },
    });
    expect((await res.json()).status).toBe("ok");
  });
});

describe("readiness and mounted apps", () => {
  it("/readyz is 200 when the default check passes: every agent's sources open", async () => {
    const { url } = await start();
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ready",
      checks: [{ name: "flm", kind: "source", ok: true }],
    });
  });

  it("/readyz is 503 with each failing check's code (never its detail), cached briefly", async () => {
    let calls = 0;
    let ready = false;
    const readiness = async (): Promise<ReadinessReport> => {
      calls++;
      return {
        ready,
        checks: [
          {
            name: "generator:local/model",
            kind: "model",
            ok: ready,
            ms: 3,
            code: ready ? undefined : "CHECK_TIMEOUT",
            detail: "http://10.0.0.7:11434 did not answer",
          },
          { name: "source:crm", kind: "source", ok: true, ms: 1 },
        ],
      };
    };
    const { url } = await start({ readiness, limits: { readinessCacheMs: 60_000 } });
    const [a, b] = await Promise.all([fetch(`${url}/readyz`), fetch(`${url}/readyz`)]);
    expect([a.status, b.status]).toEqual([503, 503]);
    const body = await a.text();
    expect(JSON.parse(body)).toMatchObject({
      status: "not_ready",
      checks: [
        { name: "generator:local/model", ok: false, code: "CHECK_TIMEOUT" },
        { name: "source:crm", ok: true },
      ],
    });
    expect(body).not.toContain("10.0.0.7");
    ready = true;
    expect((await fetch(`${url}/readyz`)).status).toBe(503); // still cached
    expect(calls).toBe(1);
    expect((await fetch(`${url}/healthz`)).status).toBe(200); // liveness is not readiness
  });

  it("/readyz re-checks after the cache expires", async () => {
    let ready = false;
    const { url } = await start({
      readiness: async () => ({ ready, checks: [] }),
      limits: { readinessCacheMs: 1 },
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    ready = true;
    await new Promise((r) => setTimeout(r, 5));
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it("serves mounted apps beside the API, outside its bearer auth", async () => {
    const extra = new Hono();
    extra.get("/", (c) => c.text("console home"));
    extra.get("/page", (c) => c.text("a page"));
    const { url } = await start({ mount: { "/console": extra } });
    expect(await (await fetch(`${url}/console`)).text()).toBe("console home");
    expect(await (await fetch(`${url}/console/page`)).text()).toBe("a page");
    expect((await fetch(`${url}/v1/models`)).status).toBe(401);
  });
});
