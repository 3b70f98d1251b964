import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../config/load-config.js";
import { configuredTraceStore, openConfiguredTraces } from "./open-configured-traces.js";

const dir = mkdtempSync(join(tmpdir(), "flm-traces-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = (extra: Record<string, unknown>) =>
  parseConfig(
    { generator: "http://127.0.0.1:1/v1#m", ...extra },
    { env: {}, path: join(dir, "flm.config.json") },
  );

describe("the configured trace store", () => {
  it("follows traces.url, then traces.path, then the audit log, then .flm/ beside the config", () => {
    const pg = "postgres://flm:flm@db/flm";
    expect(configuredTraceStore(config({ traces: { url: pg, schema: "t" } }))).toEqual({
      kind: "postgres",
      url: pg,
      schema: "t",
    });
    expect(configuredTraceStore(config({ traces: { path: "runs.sqlite" } }))).toEqual({
      kind: "sqlite",
      path: join(dir, "runs.sqlite"),
    });
    expect(configuredTraceStore(config({ traces: { path: ":memory:" } }))).toEqual({
      kind: "sqlite",
      path: ":memory:",
    });
    expect(configuredTraceStore(config({ audit: { url: pg } }))).toMatchObject({ kind: "postgres", url: pg });
    expect(configuredTraceStore(config({ audit: { path: "var/audit.sqlite" } }))).toEqual({
      kind: "sqlite",
      path: join(dir, "var", "flm-traces.sqlite"),
    });
    expect(configuredTraceStore(config({}))).toEqual({
      kind: "sqlite",
      path: join(dir, ".flm", "traces.sqlite"),
    });
  });

  it("refuses both a path and a url, and limits below their minimums, at load time", () => {
    expect(() => config({ traces: { path: "a.sqlite", url: "postgres://x" } })).toThrow(
      /at most one of path/,
    );
    expect(() => config({ traces: { maxTraceBytes: 100 } })).toThrow(/traces\.maxTraceBytes/);
    expect(() => config({ traces: { schema: "bad-name" } })).toThrow(/traces\.schema/);
  });

  it("opens it with the configured retention and caps", async () => {
    const store = await openConfiguredTraces(
      config({
        traces: { path: "t.sqlite", retentionDays: 7, maxTraceBytes: 65_536, maxStoreBytes: 1_048_576 },
      }),
    );
    expect(store.kind).toBe("sqlite");
    expect(store.limits).toEqual({ retentionDays: 7, maxTraceBytes: 65_536, maxStoreBytes: 1_048_576 });
    await store.close();
  });
});
