import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolSourceContract } from "../../testing/tool-source-contract.js";
import {
  type PagedMcpServer,
  startEverythingHttp,
  startPagedMcpServer,
} from "../../../test/helpers/mcp-reference-servers.js";
import { isFlmError } from "../../errors/flm-error.js";
import { executePlan } from "../../execute/scheduler.js";
import { createMcpSource } from "./mcp-source.js";

const ctx = () => ({ signal: new AbortController().signal, stepId: "s1" });

describe("MCP source over Streamable HTTP (paginated test server)", () => {
  let server: PagedMcpServer;
  beforeAll(async () => {
    server = await startPagedMcpServer({ count: 7, pageSize: 3 });
  });
  afterAll(() => server.stop());

  it("follows nextCursor across pages and sends the configured headers", async () => {
    const source = createMcpSource({
      name: "paged",
      transport: { kind: "http", url: server.url, headers: { Authorization: "Bearer t0ken" } },
    });
    try {
      const names = (await source.tools()).map((t) => t.name);
      expect(names).toEqual([...Array.from({ length: 7 }, (_, i) => `tool_${i}`), "fail", "slow"]);
      expect(server.headers.at(-1)?.authorization).toBe("Bearer t0ken");
      expect(await source.check!()).toEqual({ ok: true, detail: "paged-test-server 1.2.3, 9 tool(s)" });
    } finally {
      await source.close();
    }
  });

  it("turns isError into MCP_TOOL_ERROR", async () => {
    const source = createMcpSource({ name: "paged", transport: { kind: "http", url: server.url } });
    try {
      const fail = (await source.tools()).find((t) => t.name === "fail")!;
      const error: any = await fail.run({ text: "x" }, ctx()).catch((e: any) => e);
      expect(isFlmError(error, "MCP_TOOL_ERROR")).toBe(true);
      expect(error.message).toContain("this tool always fails");
    } finally {
      await source.close();
    }
  });

  it("times out a slow call with MCP_TIMEOUT, then keeps working", async () => {
    const source = createMcpSource({
      name: "paged",
      transport: { kind: "http", url: server.url },
      timeoutMs: 300,
    });
    try {
      const slow = (await source.tools()).find((t) => t.name === "slow")!;
      const error: any = await slow.run({ text: "3000" }, ctx()).catch((e: any) => e);
      expect(isFlmError(error, "MCP_TIMEOUT")).toBe(true);
      expect(error.message).toMatch(/within 300 ms/);
      expect(await slow.run({ text: "1" }, ctx())).toEqual({ text: 'slow: {"text":"1"}' });
    } finally {
      await source.close();
    }
  });

  it("reconnects once after the server restarts (session lost) and retries the call", async () => {
    const source = createMcpSource({ name: "paged", transport: { kind: "http", url: server.url } });
    try {
      const tool = (await source.tools()).find((t) => t.name === "tool_1")!;
      expect(await tool.run({ text: "one" }, ctx())).toEqual({ text: 'tool_1: {"text":"one"}' });
      await server.stop();
      await server.start();
      expect(await tool.run({ text: "two" }, ctx())).toEqual({ text: 'tool_1: {"text":"two"}' });
    } finally {
      await source.close();
    }
  });

  it("gives a typed error when the server stays down (one reconnect, no more)", async () => {
    const source = createMcpSource({
      name: "paged",
      transport: { kind: "http", url: server.url },
      timeoutMs: 3000,
    });
    try {
      const tool = (await source.tools()).find((t) => t.name === "tool_0")!;
      await server.stop();
      const error: any = await tool.run({ text: "x" }, ctx()).catch((e: any) => e);
      expect(isFlmError(error)).toBe(true);
      expect(["MCP_CONNECTION_FAILED", "MCP_CALL_FAILED"]).toContain(error.code);
      expect(error.message).toMatch(/paged/);
    } finally {
      await server.start();
      await source.close();
    }
  });
});

toolSourceContract("mcp http: paginated test server", async () => {
  const server = await startPagedMcpServer({ count: 2, pageSize: 1 });
  const source = createMcpSource({ name: "paged", transport: { kind: "http", url: server.url } });
  // Stop the server after the contract closes the source.
  const close = source.close.bind(source);
  return {
    source: Object.assign(source, {
      close: async () => {
        await close();
        await server.stop();
      },
    }),
    call: { tool: "tool_0", args: { text: "hello" } },
  };
});

describe("MCP source over Streamable HTTP: server-everything", () => {
  it("lists and calls tools, and reconnects after the server is restarted", async () => {
    let server = await startEverythingHttp();
    const source = createMcpSource({ name: "everything", transport: { kind: "http", url: server.url } });
    try {
      const tools = await source.tools();
      const echo = tools.find((t) => t.name === "echo")!;
      expect(await echo.run({ message: "over http" }, ctx())).toEqual({ text: "Echo: over http" });
      const port = new URL(server.url).port;
      await server.stop();
      server = await startEverythingHttp(Number(port));
      expect(await echo.run({ message: "again" }, ctx())).toEqual({ text: "Echo: again" });
    } finally {
      await source.close();
      await server.stop();
    }
  });
});

describe("MCP source and the agent's step timeout", () => {
  it("obeys the agent's step timeout, not its own 30 s default", async () => {
    const server = await startPagedMcpServer({ count: 1, pageSize: 5 });
    const source = createMcpSource({ name: "paged", transport: { kind: "http", url: server.url } });
    try {
      const tools = new Map((await source.tools()).map((t) => [t.name, t]));
      const t0 = performance.now();
      const [outcome] = await executePlan(
        { mode: "json", steps: [{ id: "s1", tool: "slow", args: { text: "3000" } }] },
        { tools, stepTimeoutMs: 300 },
      );
      expect(outcome).toMatchObject({ status: "timeout", error: { code: "STEP_TIMEOUT" } });
      expect(performance.now() - t0).toBeLessThan(2_000);
    } finally {
      await source.close();
      await server.stop();
    }
  });
});
