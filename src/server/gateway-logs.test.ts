import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { reply } from "../../test/helpers/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import { createAgent } from "../agent/create-agent.js";
import type { Agent } from "../core/agent.js";
import type { RunTelemetry, RunTelemetryInfo } from "../core/run-telemetry.js";
import type { RunTrace } from "../core/trace.js";
import { defineTool } from "../tools/define-tool.js";
import { createGateway, type ListeningGateway } from "./create-gateway.js";
import { createLogger } from "./create-logger.js";

const PROMPT_CANARY = "PROMPTCANARY-7f3a";
const RESULT_CANARY = "RESULTCANARY-91be";
const TOKEN = "alice-token-0123456789";

const lookup = defineTool({
  name: "lookup_customer",
  description: "Find a customer by city",
  input: z.object({ city: z.string() }),
  run: async () => ({ rows: [{ name: "Hannah Schneider", account: RESULT_CANARY }] }),
});
const plan = { steps: [{ id: "s1", tool: "lookup_customer", args: { city: "Berlin" } }] };

let models: FakeModels;
let gateway: ListeningGateway | undefined;
let lines: string[];
beforeEach(async () => {
  models = await startFakeModels();
  lines = [];
});
afterEach(async () => {
  await gateway?.close({ drainTimeoutMs: 50 });
  gateway = undefined;
  await models.close();
});

async function start(agent?: Agent, telemetry?: RunTelemetry) {
  const logger = await createLogger({ format: "json", destination: { write: (s: string) => lines.push(s) } });
  const g = createGateway({
    agents: {
      crm: agent ?? createAgent({ planner: models.planner, generator: models.generator, tools: [lookup] }),
    },
    users: [{ token: TOKEN, id: "alice", roles: [] }],
    logger,
    telemetry,
  });
  gateway = await g.listen({ port: 0 });
  return gateway.url;
}

const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
const waitForLines = async (n: number) => {
  for (let i = 0; i < 200 && lines.length < n; i++) await new Promise((r) => setTimeout(r, 10));
};

describe("gateway: one structured log line per request (pino)", () => {
  it("logs id, user, agent, status, durations and tokens for JSON and streamed runs, never content", async () => {
    const url = await start();
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: TOKEN, maxRetries: 0 });
    models.cloud.enqueue(reply.json(plan, { usage: { prompt_tokens: 300, completion_tokens: 40 } }));
    models.local.enqueue(
      reply.text(`Hannah ${RESULT_CANARY} [s1].`, { usage: { prompt_tokens: 120, completion_tokens: 12 } }),
    );
    const { response } = await client.chat.completions
      .create({ model: "crm", messages: [{ role: "user", content: `Berlin customer ${PROMPT_CANARY}?` }] })
      .withResponse();
    const runId = response.headers.get("x-flm-trace-id");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    models.cloud.enqueue(reply.json(plan));
    models.local.enqueue(reply.text(`Streamed ${RESULT_CANARY} [s1].`));
    const stream = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${TOKEN}`,
        "content-type": "application/json",
        "x-request-id": "req-42",
      },
      body: JSON.stringify({
        model: "crm",
        stream: true,
        messages: [{ role: "user", content: `again ${PROMPT_CANARY}` }],
      }),
    });
    expect(stream.headers.get("x-request-id")).toBe("req-42");
    await stream.text();

    const denied = await fetch(`${url}/v1/models`, { headers: { authorization: "Bearer wrong" } });
    expect(denied.status).toBe(401);
    // A client's request id that is not a plain token is replaced, never logged.
    await fetch(`${url}/healthz`, { headers: { "x-request-id": `bad id ${PROMPT_CANARY}` } });

    await waitForLines(4);
    const all = lines.join("");
    expect(all).not.toContain(PROMPT_CANARY);
    expect(all).not.toContain(RESULT_CANARY);
    expect(all).not.toContain("Hannah");
    expect(all).not.toContain("Berlin");
    expect(all).not.toContain(TOKEN);

    const [json, sse, unauthorized, health] = parsed();
    expect(lines).toHaveLength(4);
    expect(json).toMatchObject({
      msg: "request",
      level: 30,
      method: "POST",
      route: "/v1/chat/completions",
      status: 200,
      userId: "alice",
      agent: "crm",
      runId,
      outcome: "ok",
      steps: 1,
      tokens: { cloudIn: 300, cloudOut: 40, localIn: 120, localOut: 12 },
    });
    expect(json.ms).toBeGreaterThan(0);
    expect(json.stages.total).toBeGreaterThan(0);
    expect(json.egress.requests).toBe(1);
    expect(sse).toMatchObject({ reqId: "req-42", status: 200, outcome: "ok", agent: "crm" });
    // The streamed run is logged when its stream ends: its duration covers the answer.
    expect(sse.ms).toBeGreaterThanOrEqual(sse.headersMs);
    expect(sse.stages.answer).toBeGreaterThanOrEqual(0);
    expect(unauthorized).toMatchObject({
      status: 401,
      route: "/v1/models",
      level: 40,
      code: "invalid_api_key",
    });
    expect(unauthorized.userId).toBeUndefined();
    expect(health).toMatchObject({ status: 200, route: "/healthz" });
    expect(health.reqId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs an error that is not flm's own with its stack, and the failed run's code", async () => {
    const base = createAgent({ planner: models.planner, generator: models.generator, tools: [lookup] });
    const broken: Agent = {
      ...base,
      run: async () => {
        throw new TypeError("cannot read properties of undefined");
      },
    };
    const url = await start(broken);
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "crm", messages: [{ role: "user", content: PROMPT_CANARY }] }),
    });
    expect(res.status).toBe(500);
    await waitForLines(2);
    const [error, request] = parsed();
    expect(error).toMatchObject({ level: 50, msg: "unexpected error", err: { type: "TypeError" } });
    expect(error.err.stack).toContain("gateway-logs.test.ts");
    expect(request).toMatchObject({
      level: 50,
      status: 500,
      outcome: "error",
      code: "internal_error",
      agent: "crm",
    });
    expect(lines.join("")).not.toContain(PROMPT_CANARY);
  });

  it("hands finished and failed runs to the telemetry, a failed one with its code", async () => {
    const recorded: Array<{ trace: RunTrace; info: RunTelemetryInfo }> = [];
    const url = await start(undefined, {
      record: (trace, info) => recorded.push({ trace, info }),
      shutdown: async () => {},
    });
    const post = (content: string) =>
      fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "crm", messages: [{ role: "user", content }] }),
      });
    models.cloud.enqueue(reply.json(plan));
    models.local.enqueue(reply.text("Hannah [s1]."));
    expect((await post("Berlin?")).status).toBe(200);
    models.cloud.enqueue(reply.error(500, "upstream broke"));
    const failed = await post("Berlin again?");
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(recorded.map((r) => r.info)).toEqual([
      { agent: "crm" },
      { agent: "crm", errorCode: "PLANNER_FAILED" },
    ]);
    expect(recorded[1]!.trace.id).toBe(failed.headers.get("x-flm-trace-id"));
    expect(recorded[1]!.trace.egress).toHaveLength(1);
    await waitForLines(2);
    expect(parsed()[1]).toMatchObject({ code: "PLANNER_FAILED", outcome: "error", egress: { requests: 1 } });
  });
});
