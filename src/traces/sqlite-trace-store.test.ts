import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { traceStoreContract } from "../../test/contracts/trace-store-contract.js";
import { makeRecord } from "../../test/helpers/run-records.js";
import { openSqliteTraceStore } from "./sqlite-trace-store.js";

const dir = mkdtempSync(join(tmpdir(), "flm-traces-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const paths = new WeakMap<object, string>();

traceStoreContract("SQLite file", {
  create: async (options) => {
    const path = join(dir, `traces-${++n}.db`);
    const store = await openSqliteTraceStore({ path, pruneIntervalMs: 0, ...options });
    paths.set(store, path);
    return store;
  },
  openAnother: (store) => openSqliteTraceStore({ path: paths.get(store)!, pruneIntervalMs: 0 }),
});

traceStoreContract("SQLite in memory", {
  create: (options) => openSqliteTraceStore({ path: ":memory:", pruneIntervalMs: 0, ...options }),
});

describe("SQLite trace store", () => {
  it("keeps runs across a restart and creates the folder it needs", async () => {
    const path = join(dir, "nested", "deeper", "traces.db");
    const first = await openSqliteTraceStore({ path });
    await first.put(makeRecord("kept", { at: Date.now() }));
    await first.close();
    const second = await openSqliteTraceStore({ path });
    expect((await second.get("kept"))?.id).toBe("kept");
    await second.close();
  });

  it("refuses a file that is not a database with TRACE_STORE_FAILED and a hint", async () => {
    const path = join(dir, "not-a-db.db");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path, "this is not sqlite".repeat(100));
    await expect(openSqliteTraceStore({ path })).rejects.toMatchObject({
      code: "TRACE_STORE_FAILED",
      message: expect.stringContaining("traces.path"),
    });
  });

  it("waits for a locked file off the event loop, then fails the write with TRACE_STORE_FAILED", async () => {
    const path = join(dir, "locked.db");
    const store = await openSqliteTraceStore({ path, busyTimeoutMs: 300, pruneIntervalMs: 0 });
    const other = new Database(path);
    other.exec("BEGIN EXCLUSIVE");
    try {
      const order: string[] = [];
      const put = store.put(makeRecord("while-locked", { at: Date.now() })).then(
        () => order.push("put resolved"),
        (error) => {
          order.push("put failed");
          return error;
        },
      );
      await new Promise((r) => setTimeout(r, 0)).then(() => order.push("timer ran"));
      const error = await put;
      expect(order).toEqual(["timer ran", "put failed"]); // the loop kept running during the lock wait
      expect(error).toMatchObject({ code: "TRACE_STORE_FAILED" });
      expect((error as Error).cause).toMatchObject({ code: "SQLITE_BUSY" });
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    await store.put(makeRecord("after-unlock", { at: Date.now() }));
    expect((await store.get("after-unlock"))?.id).toBe("after-unlock");
    await store.close();
  });

  it("rejects limits that cannot work with TRACE_CONFIG_INVALID", async () => {
    await expect(
      openSqliteTraceStore({ path: ":memory:", limits: { maxTraceBytes: 10 } }),
    ).rejects.toMatchObject({ code: "TRACE_CONFIG_INVALID" });
    await expect(
      openSqliteTraceStore({
        path: ":memory:",
        limits: { maxTraceBytes: 1_000_000, maxStoreBytes: 100_000 },
      }),
    ).rejects.toMatchObject({ code: "TRACE_CONFIG_INVALID" });
  });
});
