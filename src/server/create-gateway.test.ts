import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { reply } from "../testing/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import { specConformance } from "../../test/helpers/openai-spec.js";
import type { Agent } from "../core/agent.js";
import { createAgent } from "../agent/create-agent.js";
import { EgressBlockedError } from "../privacy/privacy-errors.js";
import type { Caller } from "../tools/caller.js";
import { defineTool } from "../tools/define-tool.js";
import { createGateway, type GatewayLimits, type ListeningGateway } from "./create-gateway.js";

/** Responses are recorded here and validated by one test at the end (skipped without ../shared). */
const conformance = specConformance("gateway");
const valid = conformance.record;

const CANARY = "CANARY-d41d8cd98f";
const ALICE = "alice-token-0123456789";
const BOB = "bob-token-0123456789";
const users = [
  { token: ALICE, id: "alice", roles: ["analyst"] },
  { token: BOB, id: "bob", roles: ["viewer"] },
];

const callers: Array<Caller | undefined> = [];
const lookup = defineTool({
  name: "lookup_customer",
  description: "Find a customer by city",
  input: z.object({ city: z.string() }),
  run: async (_args, ctx) => {
    callers.push(ctx.caller);
    return { rows: [{ name: "Hannah Schneider", account: CANARY }] };
  },
});

/** A tool that blocks until its run is aborted (or released), reporting both. */
function blockingTool() {
  let started!: () => void;
  let aborted!: () => void;
  let release!: () => void;
  const state = {
    started: new Promise<void>((r) => (started = r)),
    aborted: new Promise<void>((r) => (aborted = r)),
    release: () => release(),
    sawAbort: false,
  };
  const tool = defineTool({
    name: "slow_report",
    description: "A slow report",
    input: z.object({}),
    run: (_args, ctx) =>
      new Promise((resolve) => {
        started();
        release = () => resolve({ rows: [{ total: 1, account: CANARY }] });
        ctx.signal.addEventListener("abort", () => {
          state.sawAbort = true;
          aborted();
          resolve({ cancelled: true });
        });
      }),
  });
  return { tool, state };
}

const lookupPlan = { steps: [{ id: "s1", tool: "lookup_customer", args: { city: "Berlin" } }] };
const slowPlan = { steps: [{ id: "s1", tool: "slow_report", args: {} }] };

let models: FakeModels;
let gateway: ListeningGateway | undefined;
let closedAgents = 0;
beforeEach(async () => {
  models = await startFakeModels();
  callers.length = 0;
  closedAgents = 0;
});
afterEach(async () => {
  await gateway?.close({ drainTimeoutMs: 50 });
  gateway = undefined;
  await models.close();
});

async function start(
  limits: Partial<GatewayLimits> = {},
  extraTools: ReturnType<typeof defineTool>[] = [],
  plannerFetch?: typeof fetch,
) {
  if (plannerFetch) {
    await models.close();
    models = await startFakeModels({ plannerFetch });
  }
  const make = (): Agent => {
    const agent = createAgent({
      planner: models.planner,
      generator: models.generator,
      tools: [lookup, ...extraTools],
    });
    return {
      ...agent,
      close: async () => {
        closedAgents++;
        await agent.close();
      },
    };
  };
  const g = createGateway({
    agents: { "flm-default": make(), "flm-other": make() },
    users,
    limits,
    onError: () => {},
  });
  gateway = await g.listen({ port: 0 });
  const client = (token = ALICE) =>
    new OpenAI({ baseURL: `${gateway!.url}/v1`, apiKey: token, maxRetries: 0 });
  return { g, url: gateway.url, client: client(), clientFor: client };
}

function noLeak() {
  expect(models.cloud.allBodies()).not.toContain(CANARY);
  expect(models.cloud.allBodies()).not.toContain("Hannah");
}

async function readSse(response: Response): Promise<unknown[]> {
  const text = await response.text();
  const events = text.split("\n\n").filter(Boolean);
  expect(events.at(-1)).toBe("data: [DONE]");
  return events.slice(0, -1).map((e) => {
    expect(e.startsWith("data: ")).toBe(true);
    return JSON.parse(e.slice(6));
  });
}

const post = (url: string, body: unknown, token = ALICE, init: RequestInit = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });

describe("gateway: chat completions through the official openai client", () => {
  it("answers non-streaming in OpenAI's format, passes the caller to tools, keeps history local and leaks nothing", async () => {
    const { client } = await start();
    models.cloud.enqueue(reply.json(lookupPlan, { usage: { prompt_tokens: 300, completion_tokens: 40 } }));
    models.local.enqueue(
      reply.text(`Hannah Schneider, account ${CANARY} [s1].`, {
        usage: { prompt_tokens: 120, completion_tokens: 12 },
      }),
    );
    const { data, response } = await client.chat.completions
      .create({
        model: "flm-default",
        messages: [
          { role: "system", content: "You are terse." },
          { role: "user", content: [{ type: "text", text: "Who was my Munich customer?" }] },
          { role: "assistant", content: "Earlier answer with Hannah Schneider." },
          { role: "user", content: "Which customer lives in Berlin?" },
        ],
      })
      .withResponse();
    valid("CreateChatCompletionResponse", data);
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.object).toBe("chat.completion");
    expect(data.model).toBe("flm-default");
    expect(data.choices[0].message.content).toBe(`Hannah Schneider, account ${CANARY} [s1].`);
    expect(data.choices[0].finish_reason).toBe("stop");
    expect(data.usage).toEqual({ prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 });
    const traceId = response.headers.get("x-flm-trace-id");
    expect(traceId).toBeTruthy();
    expect((data as any).flm.trace_id).toBe(traceId);
    expect(callers).toEqual([{ id: "alice", roles: ["analyst"], attributes: undefined }]);
    // History: the earlier user turn went to the planner, the assistant answer and system prompt did not.
    const plannerBody = models.cloud.requests[0].body;
    expect(plannerBody).toContain("Who was my Munich customer?");
    expect(plannerBody).toContain("Which customer lives in Berlin?");
    expect(plannerBody).not.toContain("Earlier answer");
    expect(plannerBody).not.toContain("You are terse");
    expect(models.local.allBodies()).toContain(CANARY);
    noLeak();
  });

  it("streams chunks in OpenAI's format with usage last when asked, and leaks nothing", async () => {
    const { client, url } = await start();
    models.cloud.enqueue(reply.json(lookupPlan), reply.json(lookupPlan));
    models.local.enqueue(
      reply.text(`Hannah lives in Berlin ${CANARY} [s1].`, {
        usage: { prompt_tokens: 50, completion_tokens: 7 },
      }),
      reply.text(`Hannah lives in Berlin ${CANARY} [s1].`, {
        usage: { prompt_tokens: 50, completion_tokens: 7 },
      }),
    );
    const stream = await client.chat.completions.create({
      model: "flm-default",
      messages: [{ role: "user", content: "Which customer lives in Berlin?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) {
      chunks.push(c);
      text += c.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe(`Hannah lives in Berlin ${CANARY} [s1].`);
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe("stop");
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 50, completion_tokens: 7, total_tokens: 57 });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);

    // The raw wire: every chunk validates against the spec; without include_usage there is no usage.
    const response = await post(url, {
      model: "flm-default",
      messages: [{ role: "user", content: "Berlin customer?" }],
      stream: true,
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const raw = await readSse(response);
    for (const c of raw) valid("CreateChatCompletionStreamResponse", c);
    expect(raw.some((c: any) => "usage" in c)).toBe(false);
    noLeak();
  });

  it("uses the first agent when no model is named, and lists models", async () => {
    const { client, url } = await start();
    const list = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${BOB}` } }).then((r) =>
      r.json(),
    );
    valid("ListModelsResponse", list);
    const models_ = await client.models.list();
    expect(models_.data.map((m) => m.id)).toEqual(["flm-default", "flm-other"]);
    models.cloud.enqueue(reply.json(lookupPlan));
    models.local.enqueue(reply.text("ok"));
    const res = await post(url, { messages: [{ role: "user", content: "Berlin?" }] });
    expect(res.status).toBe(200);
    expect((await res.json()).model).toBe("flm-default");
  });
});

describe("gateway: authentication and errors", () => {
  it("refuses missing and unknown tokens with 401 before running anything", async () => {
    const { clientFor, url } = await start();
    await expect(
      clientFor("wrong-token-0123456789").chat.completions.create({
        model: "flm-default",
        messages: [{ role: "user", content: "hi" }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const missing = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect(missing.status).toBe(401);
    const body = await missing.json();
    valid("ErrorResponse", body);
    expect(body.error.code).toBe("invalid_api_key");
    const models_ = await fetch(`${url}/v1/models`, { headers: { authorization: "Bearer " } });
    expect(models_.status).toBe(401);
    expect(models.cloud.requests).toHaveLength(0);
    expect(models.local.requests).toHaveLength(0);
  });

  it("answers an unknown model with 404 model_not_found", async () => {
    const { client } = await start();
    const error = await client.chat.completions
      .create({ model: "gpt-nope", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe("model_not_found");
    expect(error.param).toBe("model");
    expect(error.message).toContain("flm-default");
    valid("ErrorResponse", { error: error.error });
    expect(models.cloud.requests).toHaveLength(0);
  });

  it("maps an invalid plan to 502 and a blocked egress to 403, both in OpenAI's error format", async () => {
    const { url, g } = await start();
    models.cloud.enqueue(reply.text("no plan"), reply.text("still no plan"), reply.text("nope"));
    const bad = await post(url, { messages: [{ role: "user", content: "Berlin?" }] });
    expect(bad.status).toBe(502);
    const body = await bad.json();
    valid("ErrorResponse", body);
    expect(body.error).toMatchObject({ code: "PLAN_INVALID", type: "server_error" });
    expect(await g.metrics.value("flm_run_errors_total", { code: "PLAN_INVALID" })).toBe(1);

    // Streaming too: repair rounds are not the plan, so the status is still a real 502.
    models.cloud.enqueue(reply.text("no plan"), reply.text("still no plan"), reply.text("nope"));
    const badStream = await post(url, { stream: true, messages: [{ role: "user", content: "Berlin?" }] });
    expect(badStream.status).toBe(502);
    expect((await badStream.json()).error).toMatchObject({ code: "PLAN_INVALID" });

    await gateway!.close();
    const blocking: typeof fetch = async () => {
      throw new EgressBlockedError("cloud.example", [{ type: "EMAIL", origin: "s1" }]);
    };
    const second = await start({}, [], blocking);
    const blocked = await post(second.url, {
      messages: [{ role: "user", content: "Berlin?" }],
      stream: true,
    });
    expect(blocked.status).toBe(403);
    const err = await blocked.json();
    valid("ErrorResponse", err);
    expect(err.error.code).toBe("EGRESS_BLOCKED");
    const metrics = await fetch(`${second.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('flm_egress_blocked_total{reason="email"} 1');
    expect(metrics).toContain('flm_runs_total{agent="flm-default",outcome="blocked"} 1');
  });

  it("rejects bad requests with 400 and a param", async () => {
    const { url } = await start();
    const cases: Array<[unknown, string]> = [
      ["{not json", "invalid_json"],
      [{ messages: [] }, "invalid_request"],
      [
        {
          messages: [
            { role: "user", content: "hi" },
            { role: "assistant", content: "yo" },
          ],
        },
        "invalid_request",
      ],
      [
        { messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }] },
        "invalid_request",
      ],
    ];
    for (const [body, code] of cases) {
      const res = await post(url, body);
      expect(res.status).toBe(400);
      const json = await res.json();
      valid("ErrorResponse", json);
      expect(json.error.code).toBe(code);
    }
    expect(models.cloud.requests).toHaveLength(0);
  });
});

describe("gateway: limits", () => {
  it("refuses a large body with 413 and a long prompt with 400", async () => {
    const { url, client } = await start({ maxBodyBytes: 2000, maxPromptChars: 100 });
    const big = await post(url, { messages: [{ role: "user", content: "x".repeat(5000) }] });
    expect(big.status).toBe(413);
    valid("ErrorResponse", await big.json());
    const long = await client.chat.completions
      .create({ model: "flm-default", messages: [{ role: "user", content: "y".repeat(150) }] })
      .catch((e) => e);
    expect(long).toBeInstanceOf(OpenAI.BadRequestError);
    expect(long.code).toBe("prompt_too_long");
    expect(models.cloud.requests).toHaveLength(0);
  });

  it("answers 429 with retry-after when the concurrent-run limit is reached", async () => {
    const { tool, state } = blockingTool();
    const { url, client } = await start({ maxConcurrentRuns: 1 }, [tool]);
    models.cloud.enqueue(reply.json(slowPlan));
    models.local.enqueue(reply.text("done"));
    const first = post(url, { messages: [{ role: "user", content: "slow report" }] });
    await state.started;
    const error = await client.chat.completions
      .create({ model: "flm-default", messages: [{ role: "user", content: "another" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers.get("retry-after")).toBe("1");
    state.release();
    expect((await first).status).toBe(200);
  });

  it("times out with 504, or with an error chunk once streaming, and aborts the tool", async () => {
    const one = blockingTool();
    const { url, client } = await start({ requestTimeoutMs: 300 }, [one.tool]);
    models.cloud.enqueue(reply.json(slowPlan), reply.json(slowPlan));
    const error = await client.chat.completions
      .create({ model: "flm-default", messages: [{ role: "user", content: "slow report" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(504);
    expect(error.code).toBe("request_timeout");
    expect(one.state.sawAbort).toBe(true);

    const res = await post(url, { messages: [{ role: "user", content: "slow report" }], stream: true });
    expect(res.status).toBe(200);
    const chunks = await readSse(res);
    const last = chunks.at(-1) as any;
    valid("ErrorResponse", last);
    expect(last.error.code).toBe("request_timeout");
    for (const c of chunks.slice(0, -1)) valid("CreateChatCompletionStreamResponse", c);
  });

  it("cancels the run and its tools when the client disconnects mid-stream", async () => {
    const { tool, state } = blockingTool();
    const { url, g } = await start({}, [tool]);
    models.cloud.enqueue(reply.json(slowPlan));
    const controller = new AbortController();
    const res = await post(
      url,
      { messages: [{ role: "user", content: "slow report" }], stream: true },
      ALICE,
      {
        signal: controller.signal,
      },
    );
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const firstChunk = new TextDecoder().decode((await reader.read()).value);
    expect(firstChunk).toContain('"role":"assistant"');
    await state.started;
    expect(g.inFlight()).toBe(1);
    controller.abort();
    await Promise.race([
      state.aborted,
      new Promise((_, reject) => setTimeout(() => reject(new Error("tool never saw the abort")), 3000)),
    ]);
    expect(state.sawAbort).toBe(true);
    await expect.poll(() => g.inFlight()).toBe(0);
    expect(models.local.requests).toHaveLength(0);
  });
  it("cancels a non-streaming run when the client disconnects", async () => {
    const { tool, state } = blockingTool();
    const { url, g } = await start({}, [tool]);
    models.cloud.enqueue(reply.json(slowPlan));
    const controller = new AbortController();
    const pending = post(url, { messages: [{ role: "user", content: "slow report" }] }, ALICE, {
      signal: controller.signal,
    });
    await state.started;
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await Promise.race([
      state.aborted,
      new Promise((_, reject) => setTimeout(() => reject(new Error("tool never saw the abort")), 3000)),
    ]);
    await expect.poll(() => g.inFlight()).toBe(0);
    expect(await g.metrics.value("flm_run_errors_total", { code: "client_closed_request" })).toBe(1);
  });
});

describe("gateway: traces, metrics, health, shutdown", () => {
  it("serves a run's trace only to its owner and counts requests, stages and tokens", async () => {
    const { url, client } = await start();
    models.cloud.enqueue(reply.json(lookupPlan, { usage: { prompt_tokens: 300, completion_tokens: 40 } }));
    models.local.enqueue(
      reply.text("Hannah [s1].", { usage: { prompt_tokens: 120, completion_tokens: 12 } }),
    );
    const { response } = await client.chat.completions
      .create({ model: "flm-other", messages: [{ role: "user", content: "Berlin customer?" }] })
      .withResponse();
    const id = response.headers.get("x-flm-trace-id")!;
    const mine = await fetch(`${url}/v1/traces/${id}`, { headers: { authorization: `Bearer ${ALICE}` } });
    expect(mine.status).toBe(200);
    const trace = await mine.json();
    expect(trace.id).toBe(id);
    expect(trace.steps[0].tool).toBe("lookup_customer");
    expect(JSON.stringify(trace)).not.toContain(CANARY); // traces hold no tool results
    const theirs = await fetch(`${url}/v1/traces/${id}`, { headers: { authorization: `Bearer ${BOB}` } });
    expect(theirs.status).toBe(404);
    valid("ErrorResponse", await theirs.json());

    const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
    expect(metrics).toContain(
      'flm_http_requests_total{method="POST",route="/v1/chat/completions",status="200"} 1',
    );
    expect(metrics).toContain('flm_http_requests_total{method="GET",route="/v1/traces/:id",status="404"} 1');
    for (const stage of ["plan", "execute", "context", "answer", "total"]) {
      expect(metrics).toContain(`flm_run_stage_duration_seconds_count{stage="${stage}"} 1`);
    }
    expect(metrics).toContain('flm_tokens_total{location="cloud",direction="input"} 300');
    expect(metrics).toContain('flm_tokens_total{location="local",direction="output"} 12');
    expect(metrics).toContain("flm_runs_in_flight 0");
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect((await health.json()).status).toBe("ok");
  });

  it("drains a running request on close, refuses new connections, then closes the agents", async () => {
    const { tool, state } = blockingTool();
    const { url } = await start({}, [tool]);
    models.cloud.enqueue(reply.json(slowPlan));
    models.local.enqueue(reply.text("finished [s1]"));
    const running = post(url, { messages: [{ role: "user", content: "slow report" }] });
    await state.started;
    const closing = gateway!.close({ drainTimeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(closedAgents).toBe(0);
    state.release();
    const res = await running;
    expect(res.status).toBe(200);
    expect((await res.json()).choices[0].message.content).toBe("finished [s1]");
    await closing;
    expect(closedAgents).toBe(2);
    expect(state.sawAbort).toBe(false);
  });

  it("aborts runs still going at the drain deadline", async () => {
    const { tool, state } = blockingTool();
    const { url } = await start({}, [tool]);
    models.cloud.enqueue(reply.json(slowPlan));
    const running = post(url, { messages: [{ role: "user", content: "slow report" }] });
    await state.started;
    await gateway!.close({ drainTimeoutMs: 100 });
    expect(state.sawAbort).toBe(true);
    const res = await running.catch(() => undefined);
    if (res) expect(res.status).toBe(503);
    expect(closedAgents).toBe(2);
  });
});

conformance.defineTest();
