import { createOpenAI } from "@ai-sdk/openai";
import { generateText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAIServer, reply, startFakeOpenAIServer } from "../testing/fake-openai-server.js";
import { isFlmError } from "../errors/flm-error.js";
import { AuditStoreUnavailableError } from "./audit/audit-errors.js";
import { createEgressGuard, type EgressRecord } from "./egress-guard.js";
import { EgressBlockedError } from "./privacy-errors.js";
import { TaintIndex } from "./taint-index.js";

function findError(error: unknown): EgressBlockedError | undefined {
  for (let e = error; e; e = (e as { cause?: unknown }).cause)
    if (isFlmError(e, "EGRESS_BLOCKED")) return e as EgressBlockedError;
  return undefined;
}

describe("createEgressGuard with the real AI SDK OpenAI provider", () => {
  let fake: FakeOpenAIServer;
  beforeAll(async () => {
    fake = await startFakeOpenAIServer();
  });
  afterAll(() => fake.close());

  const setup = () => {
    const taint = new TaintIndex();
    taint.addToolResult("s2", { customer: "André Müller-Lüdenscheidt", card: 4454794511390933 });
    const records: EgressRecord[] = [];
    const guard = createEgressGuard({ taint: () => [taint], onEgress: (r) => void records.push(r) });
    const model = createOpenAI({ baseURL: fake.url, apiKey: "test", fetch: guard.fetch }).chat("m");
    return { model, records };
  };

  it("blocks a tainted prompt before any byte is sent", async () => {
    const { model, records } = setup();
    const before = fake.requests.length;
    const error = await generateText({
      model,
      prompt: "Plan for André\nMüller-Lüdenscheidt please",
      maxRetries: 0,
    }).catch((e: unknown) => e);
    const blocked = findError(error);
    expect(blocked).toBeInstanceOf(EgressBlockedError);
    expect(blocked!.hits).toEqual([{ type: "TOOL_RESULT", origin: "s2" }]);
    expect(blocked!.message).toContain("s2");
    expect(blocked!.message).not.toMatch(/Müller|Andr/);
    expect(fake.requests.length).toBe(before);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ decision: "blocked", host: new URL(fake.url).host });
  });

  it("lets a clean prompt through with exactly the bytes it scanned", async () => {
    const { model, records } = setup();
    fake.enqueue(reply.text("fine"));
    const result = await generateText({ model, prompt: "Plan for <PERSON_1>", maxRetries: 0 });
    expect(result.text).toBe("fine");
    const sent = fake.requests.at(-1)!;
    expect(records).toHaveLength(1);
    expect(records[0]!.decision).toBe("allowed");
    expect(sent.body).toBe(records[0]!.body);
    expect(Buffer.byteLength(sent.body)).toBe(records[0]!.bytes);
  });
});

describe("createEgressGuard fails closed", () => {
  const taint = new TaintIndex();
  taint.add("secret-canary-value", { type: "CANARY", origin: "canary" });
  let calls = 0;
  const fakeFetch = (async () => {
    calls++;
    return new Response("{}");
  }) as typeof fetch;

  it("blocks streams it cannot read, scanner errors and audit-hook errors", async () => {
    const broken = new ReadableStream({
      pull: (c) => c.error(new Error("boom")),
    });
    const guard = createEgressGuard({ taint: () => [taint], fetch: fakeFetch });
    await expect(
      guard.fetch("http://x/v1", { method: "POST", body: broken, duplex: "half" } as RequestInit),
    ).rejects.toMatchObject({
      code: "EGRESS_BLOCKED",
    });
    const throwing = createEgressGuard({
      taint: () => [
        {
          scanLexed: () => {
            throw new Error("bug");
          },
        },
      ],
      fetch: fakeFetch,
    });
    await expect(throwing.fetch("http://x/v1", { method: "POST", body: "{}" })).rejects.toMatchObject({
      code: "EGRESS_BLOCKED",
    });
    const noAudit = createEgressGuard({
      taint: () => [],
      fetch: fakeFetch,
      onEgress: () => {
        throw new Error("disk full");
      },
    });
    await expect(noAudit.fetch("http://x/v1", { method: "POST", body: "{}" })).rejects.toMatchObject({
      code: "EGRESS_BLOCKED",
    });
    // A locked or unreachable audit store is an outage with its own code (503), not a privacy block.
    const storeDown = createEgressGuard({
      taint: () => [],
      fetch: fakeFetch,
      onEgress: () => {
        throw new AuditStoreUnavailableError("The audit log stayed locked.", { hint: "Retry." });
      },
    });
    const outage = await storeDown.fetch("http://x/v1", { method: "POST", body: "{}" }).catch((e) => e);
    expect(AuditStoreUnavailableError.isInstance(outage)).toBe(true);
    expect(outage).toMatchObject({ code: "AUDIT_STORE_UNAVAILABLE" });
    expect(calls).toBe(0);
  });

  it("buffers readable streams and forwards the same bytes", async () => {
    let forwarded = "";
    const guard = createEgressGuard({
      taint: () => [taint],
      fetch: (async (_u: unknown, init?: RequestInit) => {
        forwarded = new TextDecoder().decode(init!.body as Uint8Array);
        return new Response("{}");
      }) as typeof fetch,
    });
    const stream = (text: string) => new Blob([text]).stream();
    await guard.fetch("http://x/v1", {
      method: "POST",
      body: stream('{"a":"hello"}'),
      duplex: "half",
    } as RequestInit);
    expect(forwarded).toBe('{"a":"hello"}');
    await expect(
      guard.fetch("http://x/v1", {
        method: "POST",
        body: stream('{"a":"SECRET canary value"}'),
        duplex: "half",
      } as RequestInit),
    ).rejects.toBeInstanceOf(EgressBlockedError);
  });
});
