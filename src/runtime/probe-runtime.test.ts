import { createOpenAI } from "@ai-sdk/openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  reply,
  type FakeOpenAIServer,
  startFakeOpenAIServer,
} from "../../test/helpers/fake-openai-server.js";
import type { ToolSource } from "../tools/tool-source.js";
import { probeRuntime } from "./probe-runtime.js";

let local: FakeOpenAIServer;
beforeEach(async () => {
  local = await startFakeOpenAIServer();
});
afterEach(async () => {
  await local.close();
});

const model = () => createOpenAI({ baseURL: local.url, apiKey: "k" }).chat("local-model");
const source = (
  name: string,
  check?: ToolSource["check"],
  tools: ToolSource["tools"] = async () => [],
): ToolSource => ({
  name,
  tools,
  check,
  close: async () => {},
});

describe("probeRuntime", () => {
  it("is ready when each local model answers a one-token request and each source checks out", async () => {
    local.handle(() => reply.text("OK"));
    const report = await probeRuntime({
      models: [{ name: "generator:local/local-model", model: model() }],
      sources: [source("crm", async () => ({ ok: true, detail: "crm.sqlite" })), source("docs")],
    });
    expect(report.ready).toBe(true);
    expect(report.checks.map((c) => [c.name, c.kind, c.ok])).toEqual([
      ["generator:local/local-model", "model", true],
      ["source:crm", "source", true],
      ["source:docs", "source", true],
    ]);
    expect(local.requests[0].json).toMatchObject({ max_tokens: 1 });
  });

  it("is not ready when a model fails or a source does not open, with a code and the detail", async () => {
    local.handle(() => reply.error(500, "model not loaded"));
    const report = await probeRuntime({
      models: [{ name: "generator:local/local-model", model: model() }],
      sources: [
        source("crm", async () => ({ ok: false, detail: "SQLITE_CANTOPEN crm.sqlite" })),
        source("mcp", undefined, async () =>
          Promise.reject(Object.assign(new Error("spawn ENOENT"), { code: "ENOENT" })),
        ),
      ],
    });
    expect(report.ready).toBe(false);
    expect(report.checks.map((c) => [c.name, c.ok, c.code])).toEqual([
      ["generator:local/local-model", false, "MODEL_UNAVAILABLE"],
      ["source:crm", false, "SOURCE_UNAVAILABLE"],
      ["source:mcp", false, "ENOENT"],
    ]);
    expect(report.checks[1].detail).toBe("SQLITE_CANTOPEN crm.sqlite");
  });

  it("gives up on a model that does not answer within the timeout (CHECK_TIMEOUT)", async () => {
    local.handle(() => reply.hang());
    const report = await probeRuntime(
      { models: [{ name: "generator:slow", model: model() }], sources: [] },
      { timeoutMs: 200 },
    );
    expect(report.checks[0]).toMatchObject({ ok: false, code: "CHECK_TIMEOUT" });
    expect(report.checks[0].ms).toBeLessThan(5000);
  });
});
