/**
 * The gateway at the HTTP level: a 413 leaves the client's connection usable, and clients that
 * never finish a request (slowloris), upload too slowly or sit idle are dropped on time.
 */
import { connect, type Socket } from "node:net";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { reply } from "../../test/helpers/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import { createAgent } from "../agent/create-agent.js";
import { defineTool } from "../tools/define-tool.js";
import { createGateway, type GatewayLimits, type ListeningGateway } from "./create-gateway.js";

const TOKEN = "http-limits-token-0123";
const tool = defineTool({
  name: "lookup",
  description: "Look something up",
  input: z.object({ q: z.string() }),
  run: async () => ({ rows: [{ ok: 1 }] }),
});

let models: FakeModels;
let gateway: ListeningGateway | undefined;
const sockets: Socket[] = [];
beforeEach(async () => {
  models = await startFakeModels();
  models.cloud.handle(() => reply.json({ steps: [{ id: "s1", tool: "lookup", args: { q: "x" } }] }));
  models.local.handle(() => reply.text("Done [s1]."));
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await gateway?.close({ drainTimeoutMs: 50 });
  gateway = undefined;
  await models.close();
});

async function start(limits: Partial<GatewayLimits> = {}) {
  const agent = createAgent({ planner: models.planner, generator: models.generator, tools: [tool] });
  gateway = await createGateway({
    agents: { flm: agent },
    users: [{ token: TOKEN, id: "u", roles: [] }],
    limits: { maxBodyBytes: 100_000, ...limits },
  }).listen({ port: 0 });
  return gateway.url;
}

const ask = (content: string) => ({ model: "flm", messages: [{ role: "user" as const, content }] });
const post = (url: string, body: BodyInit, init: RequestInit = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body,
    ...init,
  });

/** A raw connection that records when the server closes it and what it answered. */
function rawSocket(url: string): { socket: Socket; closed: Promise<number>; received: () => string } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  let text = "";
  const t0 = Date.now();
  socket.on("data", (d) => {
    text += d.toString();
  });
  socket.on("error", () => {});
  const closed = new Promise<number>((resolve) => socket.on("close", () => resolve(Date.now() - t0)));
  return { socket, closed, received: () => text };
}

describe("after a 413 the client's next request succeeds", () => {
  it("with Node's fetch on a kept-alive connection, body sized or chunked", async () => {
    const url = await start();
    const big = JSON.stringify(ask("x".repeat(300_000)));
    for (let i = 0; i < 6; i++) {
      const chunked = i % 2 === 1;
      const body = chunked
        ? new ReadableStream<Uint8Array>({
            start(c) {
              c.enqueue(new TextEncoder().encode(big));
              c.close();
            },
          })
        : big;
      const tooBig = await post(url, body, chunked ? ({ duplex: "half" } as RequestInit) : {});
      expect(tooBig.status).toBe(413);
      expect((await tooBig.json()).error.code).toBe("request_too_large");
      const next = await post(url, JSON.stringify(ask("hello")));
      expect(next.status).toBe(200);
      await next.text();
    }
  });

  it("with the official openai client", async () => {
    const url = await start();
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: TOKEN, maxRetries: 0 });
    for (let i = 0; i < 4; i++) {
      const error = await client.chat.completions.create(ask("y".repeat(300_000))).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.status).toBe(413);
      const ok = await client.chat.completions.create(ask("hello"));
      expect(ok.choices[0].message.content).toBe("Done [s1].");
    }
  });
});

describe("clients that never finish are dropped", () => {
  it("slowloris: partial headers trickling in are answered 408 and closed after headersTimeoutMs", async () => {
    const url = await start({ headersTimeoutMs: 1_000, receiveTimeoutMs: 2_000 });
    const lorises = Array.from({ length: 60 }, () => rawSocket(url));
    for (const l of lorises) l.socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n");
    const trickle = setInterval(() => {
      for (const l of lorises) if (!l.socket.destroyed) l.socket.write("X-Slow: 1\r\n");
    }, 200);
    const silent = rawSocket(url); // connects and never sends a byte
    try {
      // The gateway keeps serving meanwhile.
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await post(url, JSON.stringify(ask("hello")))).status).toBe(200);
      const closedAfter = await Promise.all([...lorises, silent].map((l) => l.closed));
      expect(Math.max(...closedAfter)).toBeLessThan(4_000);
      expect(lorises[0].received()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(trickle);
    }
  });

  it("a body trickling in slower than receiveTimeoutMs is answered 408 and closed", async () => {
    const url = await start({ headersTimeoutMs: 500, receiveTimeoutMs: 1_000 });
    const slow = rawSocket(url);
    slow.socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
    );
    const drip = setInterval(() => !slow.socket.destroyed && slow.socket.write(" "), 100);
    try {
      expect(await slow.closed).toBeLessThan(3_000);
      expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
  });

  it("an idle kept-alive connection is closed after keepAliveTimeoutMs", async () => {
    const url = await start({ keepAliveTimeoutMs: 300 });
    const idle = rawSocket(url);
    idle.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await idle.closed).toBeLessThan(2_000);
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200/);
  });

  it("refuses a header timeout longer than the receive timeout", () => {
    expect(() =>
      createGateway({
        agents: { flm: createAgent({ planner: models.planner, generator: models.generator, tools: [] }) },
        users: [{ token: TOKEN, id: "u", roles: [] }],
        limits: { headersTimeoutMs: 5_000, receiveTimeoutMs: 1_000 },
      }),
    ).toThrow(expect.objectContaining({ code: "GATEWAY_CONFIG_INVALID" }));
  });
});
