import { mkdtempSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { SqliteConnection } from "./sqlite-connection.js";
import { SqliteError } from "./sqlite-errors.js";

const dir = mkdtempSync(join(tmpdir(), "flm-sqlite-conn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open: SqliteConnection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

let n = 0;
function dbFile(rows: [number, string][] = [[1, "one"]]): string {
  const path = join(dir, `t${++n}.sqlite`);
  const db = new Database(path);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT)");
  const insert = db.prepare("INSERT INTO t VALUES (?, ?)");
  for (const row of rows) insert.run(...row);
  db.close();
  return path;
}

async function connect(options: Parameters<typeof SqliteConnection.open>[0]) {
  const c = await SqliteConnection.open(options);
  open.push(c);
  return c;
}

/** The longest gap between 10 ms ticks while `work` runs: how long the event loop was blocked. */
async function worstLoopGap<T>(
  work: () => Promise<T>,
): Promise<{ gap: number; result: PromiseSettledResult<T> }> {
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 10);
  const [result] = await Promise.allSettled([work()]);
  clearInterval(timer);
  return { gap: Math.max(gap, performance.now() - last), result };
}

function codeOf(result: PromiseSettledResult<unknown>): string | undefined {
  return result.status === "rejected" && SqliteError.isInstance(result.reason)
    ? result.reason.code
    : undefined;
}

/** A statement that works for seconds inside SQLite before its one row: no row loop to stop. */
const NATIVE_SLOW =
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000) SELECT count(*) AS n FROM c";
/** Many rows, each cheap: the worker's row loop stops it at the deadline. */
const MANY_ROWS =
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50000000) SELECT x, hex(randomblob(32)) AS h FROM c";

describe("SqliteConnection", () => {
  it("runs statements in a worker: run, get, all, pluck, exec, blobs and bigints round-trip", async () => {
    const c = await connect({ path: join(dir, "rw.sqlite") });
    await c.exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB, n INTEGER)");
    const info = await c.run("INSERT INTO kv VALUES (?, ?, ?)", [
      "a",
      Buffer.from([1, 2, 3]),
      9007199254740993n,
    ]);
    expect(info.changes).toBe(1);
    const row = await c.get<{ k: string; v: Buffer; n: number }>("SELECT * FROM kv WHERE k = ?", ["a"]);
    expect(Buffer.isBuffer(row?.v)).toBe(true);
    expect([...row!.v]).toEqual([1, 2, 3]);
    expect(await c.all("SELECT k FROM kv")).toEqual([{ k: "a" }]);
    expect(await c.pluck("SELECT k FROM kv")).toEqual(["a"]);
    expect(await c.get("SELECT * FROM kv WHERE k = 'missing'")).toBeUndefined();
  });

  it("execute: rows capped with a truncated flag; writes refused unless allowed", async () => {
    const c = await connect({
      path: dbFile([
        [1, "a"],
        [2, "b"],
        [3, "c"],
      ]),
    });
    expect(await c.execute("SELECT id FROM t ORDER BY id", [], { maxRows: 2 })).toEqual({
      kind: "rows",
      rows: [{ id: 1 }, { id: 2 }],
      truncated: true,
    });
    await expect(c.execute("DELETE FROM t", [], { maxRows: 10 })).rejects.toMatchObject({
      code: "SQLITE_WRITE_REFUSED",
    });
    // A write that returns rows is still a write.
    await expect(
      c.execute("INSERT INTO t VALUES (9, 'x') RETURNING id", [], { maxRows: 10 }),
    ).rejects.toMatchObject({ code: "SQLITE_WRITE_REFUSED" });
    expect(await c.pluck("SELECT count(*) FROM t")).toEqual([3]);
    expect(
      await c.execute("DELETE FROM t WHERE id = ?", [1], { maxRows: 10, allowWrite: true }),
    ).toMatchObject({
      kind: "write",
      changes: 1,
    });
  });

  it("a read-only connection refuses writes with SQLITE_READONLY", async () => {
    const c = await connect({ path: dbFile(), readonly: true });
    await expect(c.run("DELETE FROM t")).rejects.toMatchObject({ code: "SQLITE_READONLY" });
  });

  it("a missing file fails to open with SQLITE_OPEN_FAILED", async () => {
    await expect(
      SqliteConnection.open({ path: join(dir, "nope.sqlite"), readonly: true }),
    ).rejects.toMatchObject({
      code: "SQLITE_OPEN_FAILED",
    });
  });

  it("waits for another process's lock off the event loop, then fails with SQLITE_BUSY", async () => {
    const path = dbFile();
    const c = await connect({ path, readonly: true, busyTimeoutMs: 1_500 });
    const locker = new Database(path);
    locker.exec("BEGIN EXCLUSIVE");
    try {
      const t0 = performance.now();
      const { gap, result } = await worstLoopGap(() => c.all("SELECT * FROM t"));
      expect(codeOf(result)).toBe("SQLITE_BUSY");
      expect(performance.now() - t0).toBeGreaterThanOrEqual(1_400);
      expect(gap).toBeLessThan(500); // the lock was held 1,500 ms: the loop never waited for it
    } finally {
      locker.exec("ROLLBACK");
      locker.close();
    }
    expect(await c.all("SELECT id FROM t")).toEqual([{ id: 1 }]);
  });

  it("stops a row loop at its deadline and keeps the connection", async () => {
    const c = await connect({ path: dbFile() });
    const t0 = performance.now();
    const { gap, result } = await worstLoopGap(() => c.all(MANY_ROWS, [], { timeoutMs: 1_000 }));
    expect(codeOf(result)).toBe("SQLITE_TIMEOUT");
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(gap).toBeLessThan(500); // the statement ran 1,000 ms in the worker
    expect(c.status()).toEqual({ open: true, stuckWorkers: 0 });
    expect(await c.pluck("SELECT 1")).toEqual([1]);
  });

  it("abandons a statement stuck inside SQLite at its deadline; too many stuck ones are refused", async () => {
    const c = await connect({ path: dbFile(), maxStuckWorkers: 1 });
    const t0 = performance.now();
    const { gap, result } = await worstLoopGap(() => c.get(NATIVE_SLOW, [], { timeoutMs: 200 }));
    expect(codeOf(result)).toBe("SQLITE_TIMEOUT");
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(gap).toBeLessThan(400); // the statement runs for seconds in the abandoned worker
    // The abandoned worker is still inside SQLite: at the limit, new work fails fast.
    expect(c.status().stuckWorkers).toBe(1);
    await expect(c.pluck("SELECT 1")).rejects.toMatchObject({ code: "SQLITE_OVERLOADED" });
    await expect.poll(() => c.status().stuckWorkers, { timeout: 20_000, interval: 100 }).toBe(0);
    expect(await c.pluck("SELECT 1")).toEqual([1]);
  });

  it("cancels on the caller's signal, queued or running", async () => {
    const c = await connect({ path: dbFile() });
    const controller = new AbortController();
    const running = c.all(MANY_ROWS, [], { signal: controller.signal, timeoutMs: 10_000 });
    const queued = c.all("SELECT 1", [], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toMatchObject({ code: "SQLITE_ABORTED" });
    await expect(queued).rejects.toMatchObject({ code: "SQLITE_ABORTED" });
    expect(await c.pluck("SELECT 2")).toEqual([2]);
  });

  it("a statement cancelled while it waits for a lock is left to finish; the process never aborts", async () => {
    const path = dbFile();
    const c = await connect({ path, readonly: true, busyTimeoutMs: 1_500 });
    const locker = new Database(path);
    locker.exec("BEGIN EXCLUSIVE");
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      // Terminating the worker here (inside SQLite's busy wait) would abort the whole process
      // when SQLite returns and better-sqlite3 builds its error.
      await expect(c.all("SELECT * FROM t", [], { signal: controller.signal })).rejects.toMatchObject({
        code: "SQLITE_ABORTED",
      });
      expect(c.status().stuckWorkers).toBe(1);
      await expect.poll(() => c.status().stuckWorkers, { timeout: 10_000, interval: 50 }).toBe(0);
    } finally {
      locker.exec("ROLLBACK");
      locker.close();
    }
    expect(await c.pluck("SELECT id FROM t")).toEqual([1]);
  });

  it("transactions commit, roll back when the body throws, and serialise writers across connections", async () => {
    const path = join(dir, "chain.sqlite");
    const options = {
      path,
      pragmas: ["journal_mode = WAL"],
      setupSql: "CREATE TABLE IF NOT EXISTS chain (seq INTEGER PRIMARY KEY, prev INTEGER)",
    };
    const a = await connect(options);
    const b = await connect(options);
    await expect(
      a.transaction(async (tx) => {
        await tx.run("INSERT INTO chain VALUES (100, 0)");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await a.pluck("SELECT count(*) FROM chain")).toEqual([0]);
    // Read-then-write under BEGIN IMMEDIATE: no two appends see the same head.
    const append = (c: SqliteConnection) =>
      c.transaction(
        async (tx) => {
          const head = (await tx.pluck<number>("SELECT max(seq) FROM chain"))[0] ?? 0;
          await tx.run("INSERT INTO chain VALUES (?, ?)", [head + 1, head]);
        },
        { mode: "immediate" },
      );
    await Promise.all(Array.from({ length: 40 }, (_, i) => append(i % 2 ? a : b)));
    const rows = await a.all<{ seq: number; prev: number }>("SELECT seq, prev FROM chain ORDER BY seq");
    expect(rows.length).toBe(40);
    expect(rows.every((r, i) => r.seq === i + 1 && r.prev === i)).toBe(true);
  });

  it("reopens a file replaced on disk, and refuses a deleted one", async () => {
    const path = dbFile([[1, "old"]]);
    let reopens = 0;
    const c = await connect({ path, readonly: true, onReopen: () => reopens++ });
    expect(await c.pluck("SELECT label FROM t")).toEqual(["old"]);
    const next = dbFile([[1, "new"]]);
    renameSync(next, path);
    expect(await c.pluck("SELECT label FROM t")).toEqual(["new"]);
    expect(reopens).toBe(1);
    unlinkSync(path);
    await expect(c.pluck("SELECT label FROM t")).rejects.toMatchObject({ code: "SQLITE_OPEN_FAILED" });
    renameSync(dbFile([[1, "back"]]), path);
    expect(await c.pluck("SELECT label FROM t")).toEqual(["back"]);
  });

  it("iterates in batches and frees the connection when the consumer stops early", async () => {
    const c = await connect({ path: join(dir, "many.sqlite") });
    await c.exec(
      "CREATE TABLE m (x INTEGER); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) INSERT INTO m SELECT x FROM c",
    );
    let sum = 0;
    for await (const x of c.iterate<number>("SELECT x FROM m", [], { pluck: true, batchSize: 300 })) sum += x;
    expect(sum).toBe((2000 * 2001) / 2);
    for await (const _ of c.iterate("SELECT x FROM m")) break;
    expect(await c.pluck("SELECT count(*) FROM m")).toEqual([2000]);
  });

  it("close lets queued statements finish and refuses later ones", async () => {
    const c = await SqliteConnection.open({ path: dbFile() });
    const queued = c.pluck("SELECT id FROM t");
    const closing = c.close();
    await expect(c.pluck("SELECT 1")).rejects.toMatchObject({ code: "SQLITE_CLOSED" });
    expect(await queued).toEqual([1]);
    await closing;
    expect(c.status().open).toBe(false);
  });
});
