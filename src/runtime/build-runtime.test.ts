import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createCrmDb } from "../../test/helpers/crm-db.js";
import { isFlmError } from "../errors/flm-error.js";
import { buildRuntime } from "./build-runtime.js";
import { loadConfig } from "../config/load-config.js";

const { path: dbPath } = createCrmDb();
const dir = join(dbPath, "..");
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function build(config: Record<string, unknown>, resolveHost?: (name: string) => Promise<string[]>) {
  const file = join(dir, `flm-${Math.random().toString(36).slice(2)}.config.json`);
  writeFileSync(
    file,
    JSON.stringify({ planner: "local", generator: "http://127.0.0.1:9/v1#local", ...config }),
  );
  const runtime = await buildRuntime(await loadConfig(file), { env: {}, resolveHost });
  closers.push(() => runtime.close());
  return runtime;
}

const crm = { kind: "sql", name: "crm", driver: "sqlite", path: "crm.sqlite", tables: ["customers"] };

describe("buildRuntime privacy modes", () => {
  it("reads privacy.mode, allowTerms and localModelReview", async () => {
    expect((await build({})).privacy?.mode).toBe("standard");
    const strict = await build({
      privacy: { mode: "strict", allowTerms: ["Quillbase"], localModelReview: true },
    });
    expect(strict.privacy?.mode).toBe("strict");
    const error = await build({ privacy: { mode: "paranoid" } }).catch((e) => e);
    expect(isFlmError(error, "CONFIG_INVALID")).toBe(true);
    expect(error.message).toContain("privacy.mode");
  });
});

describe("buildRuntime safeguards", () => {
  it("indexes privacy.sensitiveColumns from the named SQL source", async () => {
    const plain = await build({ tools: [crm] });
    await plain.privacy?.ready();
    expect(plain.privacy?.values.size).toBe(0);
    const marked = await build({
      tools: [crm],
      privacy: { sensitiveColumns: ["crm.customers.email", "crm.customers.name"] },
    });
    await marked.privacy?.ready();
    expect(marked.privacy?.values.size).toBe(8);
  });

  it("refuses a sensitiveColumns entry that names no SQL source", async () => {
    const error = await build({ tools: [crm], privacy: { sensitiveColumns: ["crm.email"] } }).catch((e) => e);
    expect(isFlmError(error, "CONFIG_INVALID")).toBe(true);
    expect(error.message).toContain("privacy.sensitiveColumns[0]");
  });

  it("refuses a remote OpenAPI or MCP service that is not declared trusted", async () => {
    const spec = { openapi: "3.0.0", info: { title: "t", version: "1" }, paths: {} };
    const openapi = { kind: "openapi", name: "orders", spec, baseUrl: "https://orders.example.com/api" };
    const error = await build({ tools: [openapi] }).catch((e) => e);
    expect(isFlmError(error, "CONFIG_INVALID")).toBe(true);
    expect(error.message).toContain("orders.example.com");
    const mcp = { kind: "mcp", name: "remote", url: "https://mcp.example.com/mcp" };
    expect(isFlmError(await build({ tools: [mcp] }).catch((e) => e), "CONFIG_INVALID")).toBe(true);
    // Declared, or on a private network: accepted.
    await expect(build({ tools: [{ ...openapi, trusted: true }] })).resolves.toBeDefined();
    await expect(build({ tools: [{ ...openapi, baseUrl: "http://10.0.0.7/api" }] })).resolves.toBeDefined();
  });

  it("refuses a planner marked local that points at a cloud host", async () => {
    const error = await build({
      planner: { provider: "openai", model: "gpt-4o", apiKey: "k", location: "local" },
      tools: [crm],
    }).catch((e) => e);
    expect(isFlmError(error, "GENERATOR_UNTRUSTED")).toBe(true);
    expect(error.message).toContain("planner: api.openai.com");
  });
});

describe("one trust policy: names are resolved, every address must be private", () => {
  /** A DNS stub: `*.internal` here resolves to a public address, `*.lan` to private ones. */
  const dns = async (name: string) => {
    if (name.endsWith(".internal")) return ["34.117.59.81"];
    if (name.endsWith(".lan")) return ["192.168.7.10", "fd00::7"];
    throw new Error(`getaddrinfo ENOTFOUND ${name}`);
  };
  const generatorAt = (host: string) => ({
    provider: "openai-compatible",
    model: "m",
    baseURL: `http://${host}:8000/v1`,
  });

  it("refuses a generator whose name resolves to a public address, even under .internal", async () => {
    const error = await build({ generator: generatorAt("gpu.internal") }, dns).catch((e) => e);
    expect(isFlmError(error, "GENERATOR_UNTRUSTED")).toBe(true);
    expect(error.message).toContain("gpu.internal (resolves to 34.117.59.81)");
    await expect(build({ generator: generatorAt("gpu.lan") }, dns)).resolves.toBeDefined();
    await expect(
      build({ generator: generatorAt("gpu.internal"), privacy: { trustedEndpoints: ["gpu.internal"] } }, dns),
    ).resolves.toBeDefined();
  });

  it("refuses a local planner, an MCP server and an OpenAPI service that resolve to public addresses", async () => {
    const planner = { ...generatorAt("plan.internal"), location: "local" };
    expect(isFlmError(await build({ planner }, dns).catch((e) => e), "GENERATOR_UNTRUSTED")).toBe(true);
    const mcp = { kind: "mcp", name: "remote", url: "http://tools.internal/mcp" };
    const mcpError = await build({ tools: [mcp] }, dns).catch((e) => e);
    expect(isFlmError(mcpError, "CONFIG_INVALID")).toBe(true);
    expect(mcpError.issues).toEqual([
      { path: "tools[0].trusted", message: "declare the remote host tools.internal trusted" },
    ]);
    const spec = { openapi: "3.0.0", info: { title: "t", version: "1" }, paths: {} };
    const openapi = { kind: "openapi", name: "orders", spec, baseUrl: "http://orders.internal/api" };
    expect(isFlmError(await build({ tools: [openapi] }, dns).catch((e) => e), "CONFIG_INVALID")).toBe(true);
    await expect(
      build({ tools: [{ ...openapi, baseUrl: "http://orders.lan/api" }] }, dns),
    ).resolves.toBeDefined();
  });

  it("refuses a name that does not resolve (fails closed)", async () => {
    const error = await build({ generator: generatorAt("typo.example") }, dns).catch((e) => e);
    expect(isFlmError(error, "GENERATOR_UNTRUSTED")).toBe(true);
    expect(error.message).toContain("does not resolve");
  });
});

describe("documents tool source", () => {
  it("takes a postgres:// index as a URL, not as a path next to the config file", async () => {
    const index = "postgres://flm@127.0.0.1:1/flm_test?schema=docs";
    const runtime = await build({ tools: [{ kind: "documents", name: "docs", index }] });
    const check = await runtime.sources[0].check?.();
    expect(check?.ok).toBe(false);
    expect(check?.detail).toContain("Cannot connect to postgres://flm@127.0.0.1:1/flm_test");
  });
});
