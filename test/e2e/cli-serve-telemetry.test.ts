/**
 * `flm serve` with `telemetry.otlpEndpoint`: every run arrives at an OTLP/HTTP receiver on
 * 127.0.0.1 as spans with the GenAI conventions, and no span carries a sensitive value, a tool
 * result or the answer, in either content mode (`none`, `pseudonymized`).
 */
import { join } from "node:path";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { reply, type RecordedRequest } from "../helpers/fake-openai-server.js";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "../helpers/otlp-receiver.js";
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
const NOTE = "VIP since 2019, referred by Ottoline";
const TOKEN = "tok-e2e-otel-0123456789";
const ANSWER = "Maria Keller is a VIP account [s1].";

let fixture: CliFixture | undefined;
let receiver: OtlpReceiver | undefined;
let flm: CliProcess | undefined;
afterEach(async () => {
  if (flm && flm.child.exitCode === null && flm.child.signalCode === null) flm.child.kill("SIGKILL");
  await receiver?.close();
  await fixture?.close();
  flm = fixture = receiver = undefined;
});

async function runThroughServe(recordContent: "none" | "pseudonymized") {
  fixture = await startCliFixture("serve-otel");
  receiver = await startOtlpReceiver();
  const { dir, cloud, local } = fixture;
  cloud.handle((req: RecordedRequest) =>
    reply.json(findCustomerPlan(req), { usage: { prompt_tokens: 321, completion_tokens: 17 } }),
  );
  local.handle(() => reply.text(ANSWER, { usage: { prompt_tokens: 140, completion_tokens: 9 } }));
  writeSqliteDb(join(dir, "crm.sqlite"), {
    customers: {
      columns: "id INTEGER PRIMARY KEY, name TEXT, note TEXT",
      rows: [
        [1, "Maria Keller", NOTE],
        [2, CANARY, "canary row"],
      ],
    },
  });
  writeFlmConfig(fixture, {
    name: "crm-agent",
    tools: [crmTool([findCustomerQuery("id, name, note")])],
    privacy: { canaries: [CANARY] },
    users: [{ token: TOKEN, id: "alice", roles: [] }],
    telemetry: { otlpEndpoint: receiver.url, recordContent, serviceName: "flm-e2e" },
  });
  flm = startCli(["serve", "--port", "0"], { cwd: dir });
  const baseURL = `${(await flm.waitForStderr(/listening on (http:\/\/\S+)/))[1]}/v1`;
  const client = new OpenAI({ baseURL, apiKey: TOKEN, maxRetries: 0 });
  const completion = await client.chat.completions.create({
    model: "crm-agent",
    messages: [{ role: "user", content: "What do we know about Maria Keller?" }],
  });
  expect(completion.choices[0]?.message.content).toBe(ANSWER);
  // SIGTERM flushes the batch exporter before the process exits.
  flm.child.kill("SIGTERM");
  expect(await flm.exited).toEqual({ code: 0, signal: null });
  const spans = await receiver.waitForSpans(5);
  return { spans, cloudBodies: cloud.allBodies() };
}

const byName = (spans: ReceivedSpan[], prefix: string) => spans.filter((s) => s.name.startsWith(prefix));

function expectNoSensitiveContent(receiver: OtlpReceiver) {
  const everything = receiver.raw.join("\n");
  for (const secret of [CANARY, "Ottoline", "Maria Keller", "Keller", NOTE, "VIP", ANSWER, TOKEN]) {
    expect(everything).not.toContain(secret);
  }
}

describe("flm serve exports runs over OTLP/HTTP", { timeout: 60_000 }, () => {
  it("sends a run and its stages as GenAI spans with tokens, and no content by default", async () => {
    const { spans } = await runThroughServe("none");
    expect(receiver!.contentTypes.every((t) => t.startsWith("application/json"))).toBe(true);
    const [root] = byName(spans, "invoke_agent");
    expect(root).toBeDefined();
    expect(root!.name).toBe("invoke_agent crm-agent");
    expect(root!.parentSpanId).toBeUndefined();
    expect(root!.resource["service.name"]).toBe("flm-e2e");
    expect(root!.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "crm-agent",
      "gen_ai.usage.input_tokens": 321 + 140,
      "gen_ai.usage.output_tokens": 17 + 9,
      "flm.steps": 1,
      "flm.egress.requests": 1,
      "flm.egress.blocked": 0,
    });
    const children = spans.filter((s) => s.traceId === root!.traceId && s !== root);
    const names = children.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "pseudonymize",
        "plan crm-agent",
        "chat planner-model",
        "execute",
        "execute_tool find_customer",
        "context",
        "chat local-model",
      ]),
    );
    const plan = children.find((s) => s.name === "plan crm-agent")!;
    expect(plan.attributes).toMatchObject({
      "gen_ai.operation.name": "plan",
      "gen_ai.provider.name": "openai-compatible",
      "gen_ai.request.model": "planner-model",
      "gen_ai.usage.input_tokens": 321,
      "gen_ai.usage.output_tokens": 17,
    });
    const cloudCall = children.find((s) => s.name === "chat planner-model")!;
    expect(cloudCall.parentSpanId).toBe(plan.spanId);
    expect(cloudCall.kind).toBe(3); // CLIENT
    expect(cloudCall.attributes["server.address"]).toBe("127.0.0.1");
    expect(cloudCall.attributes["flm.egress.decision"]).toBe("allowed");
    const tool = children.find((s) => s.name === "execute_tool find_customer")!;
    expect(tool.attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "find_customer",
      "gen_ai.tool.call.id": "s1",
      "flm.step.status": "ok",
    });
    expect(tool.attributes["gen_ai.tool.call.arguments"]).toBeUndefined();
    const answer = children.find((s) => s.name === "chat local-model")!;
    expect(answer.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "local-model",
      "gen_ai.usage.input_tokens": 140,
      "gen_ai.usage.output_tokens": 9,
    });
    // Stages sit inside the run, in order.
    for (const s of children) {
      expect(s.startMs).toBeGreaterThanOrEqual(root!.startMs - 1);
      expect(s.endMs).toBeLessThanOrEqual(root!.endMs + 1);
    }
    expect(plan.endMs).toBeLessThanOrEqual(answer.startMs + 1);
    for (const s of spans) expect(JSON.stringify(s.attributes)).not.toMatch(/<PERSON_\d+>/);
    expectNoSensitiveContent(receiver!);
  });

  it("with recordContent pseudonymized, records only what the cloud saw", async () => {
    const { spans, cloudBodies } = await runThroughServe("pseudonymized");
    const cloudCall = spans.find((s) => s.name === "chat planner-model")!;
    const messages = String(cloudCall.attributes["gen_ai.input.messages"]);
    expect(messages).toContain("<PERSON_1>");
    // Every message recorded was in a request the cloud received.
    for (const m of JSON.parse(messages) as Array<{ content: unknown }>) {
      const text = typeof m.content === "string" ? m.content : JSON.stringify(m.content);
      expect(cloudBodies).toContain(JSON.stringify(text).slice(1, 40));
    }
    const tool = spans.find((s) => s.name === "execute_tool find_customer")!;
    expect(JSON.parse(String(tool.attributes["gen_ai.tool.call.arguments"]))).toEqual({ name: "<PERSON_1>" });
    expect(String(spans.find((s) => s.name === "plan crm-agent")!.attributes["flm.plan"])).toContain(
      "find_customer",
    );
    expectNoSensitiveContent(receiver!);
  });
});
