import { mkdtempSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { toolSourceContract } from "../../testing/tool-source-contract.js";
import { sharedFile } from "../../../test/helpers/shared-dir.js";
import { createSqlSource } from "./sql-source.js";
import { ACCOUNT_ROWS, sqlSourceContract } from "./sql-source.contract.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh SQLite file with the contract schema. */
function makeDb(): string {
  const dir = mkdtempSync(join(tmpdir(), "flm-sqlite-"));
  dirs.push(dir);
  const path = join(dir, "crm.sqlite");
  const db = new Database(path);
  db.exec(`CREATE TABLE account (id INTEGER PRIMARY KEY, owner_id TEXT NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL, balance REAL NOT NULL, note TEXT);
           CREATE TABLE scratch (id INTEGER PRIMARY KEY, label TEXT);
           INSERT INTO scratch VALUES (1, 'one'), (2, 'two');`);
  const insert = db.prepare("INSERT INTO account VALUES (?, ?, ?, ?, ?, ?)");
  for (const row of ACCOUNT_ROWS) insert.run(...row);
  db.close();
  return path;
}

sqlSourceContract("sqlite", async () => {
  const path = makeDb();
  const raw = new Database(path, { readonly: true });
  return {
    connection: { driver: "sqlite", path },
    count: async (table) => (raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    // Many rows, each costing a little: the per-row clock check stops it.
    slowSql:
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000000) SELECT i, hex(randomblob(64)) AS h FROM n",
    cleanup: async () => {
      raw.close();
    },
  };
});

toolSourceContract("sql sqlite", async () => ({
  source: createSqlSource({ name: "crm", driver: "sqlite", path: makeDb(), tables: ["account"] }),
  call: { tool: "find_account", args: { filters: [{ column: "owner_id", op: "eq", value: "u1" }] } },
  invalidArgs: { filters: [{ column: "no_such_column", op: "eq", value: 1 }] },
}));

describe("sqlite specifics", () => {
  it("refuses a missing file with SQL_CONNECTION_FAILED and check() says so", async () => {
    const source = createSqlSource({
      name: "gone",
      driver: "sqlite",
      path: "/nonexistent/x.sqlite",
      tables: "*",
    });
    await expect(source.tools()).rejects.toMatchObject({ code: "SQL_CONNECTION_FAILED" });
    expect((await source.check()).ok).toBe(false);
    await source.close();
  });

  it("binds :user.roles as JSON for json_each", async () => {
    const source = createSqlSource({
      name: "crm",
      driver: "sqlite",
      path: makeDb(),
      queries: [
        {
          name: "by_role",
          description: "Accounts whose note is one of the caller's roles.",
          sql: "SELECT id FROM account WHERE note IN (SELECT value FROM json_each(:user.roles)) ORDER BY id",
        },
      ],
    });
    const [tool] = await source.tools();
    const out = (await tool.run(
      {},
      { signal: new AbortController().signal, stepId: "s", caller: { id: "x", roles: ["vip", "it's ok"] } },
    )) as { rows: unknown[] };
    expect(out.rows).toEqual([{ id: 1 }, { id: 4 }]);
    await source.close();
  });

  it("marks declared write queries, and only them, as having side effects", async () => {
    const source = createSqlSource({
      name: "crm",
      driver: "sqlite",
      path: makeDb(),
      tables: ["account"],
      queries: [
        { name: "notes", description: "All notes.", sql: "SELECT note FROM account" },
        {
          name: "touch",
          description: "Marks an account.",
          sql: "UPDATE account SET note = :note WHERE id = 1",
          params: { type: "object", properties: { note: { type: "string" } } },
          write: true,
        },
      ],
    });
    const flags = Object.fromEntries((await source.tools()).map((t) => [t.name, t.sideEffects ?? false]));
    expect(flags).toEqual({ find_account: false, notes: false, touch: true });
    await source.close();
  });
});

describe("sqlite under faults (the event loop never waits for SQLite)", () => {
  const findAccount = async (path: string, statementTimeoutMs = 5_000) => {
    const source = createSqlSource({
      name: "crm",
      driver: "sqlite",
      path,
      tables: ["account"],
      statementTimeoutMs,
    });
    const tool = (await source.tools())[0];
    const run = () =>
      tool.run(tool.validate({ filters: [{ column: "id", op: "eq", value: 1 }] }).value, {
        signal: new AbortController().signal,
        stepId: "s",
      }) as Promise<{ rows: { name: string }[] }>;
    return { source, run };
  };

  it("a database another process holds under BEGIN EXCLUSIVE fails with SQL_BUSY; the loop keeps ticking", async () => {
    const path = makeDb();
    const { source, run } = await findAccount(path, 1_500);
    expect((await run()).rows.length).toBe(1);
    const locker = new Database(path);
    locker.exec("BEGIN EXCLUSIVE");
    let last = performance.now();
    let worstGap = 0;
    const ticker = setInterval(() => {
      worstGap = Math.max(worstGap, performance.now() - last);
      last = performance.now();
    }, 10);
    try {
      await expect(run()).rejects.toMatchObject({ code: "SQL_BUSY" });
    } finally {
      clearInterval(ticker);
      locker.exec("ROLLBACK");
      locker.close();
    }
    expect(worstGap).toBeLessThan(500); // the lock was held 1,500 ms: the loop never waited for it
    expect((await run()).rows.length).toBe(1);
    await source.close();
  });

  it("serves the new file after it was replaced on disk, and refuses a deleted one", async () => {
    const path = makeDb();
    const { source, run } = await findAccount(path);
    const before = (await run()).rows[0].name;
    const next = makeDb();
    const db = new Database(next);
    db.prepare("UPDATE account SET name = 'Replaced Name' WHERE id = 1").run();
    db.close();
    renameSync(next, path);
    expect((await run()).rows[0].name).toBe("Replaced Name");
    expect(before).not.toBe("Replaced Name");
    unlinkSync(path);
    await expect(run()).rejects.toMatchObject({ code: "SQL_CONNECTION_FAILED" });
    await source.close();
  });
});

const chinook = sharedFile("data", "chinook.sqlite");
describe.skipIf(!chinook)("sqlite Chinook (../shared)", () => {
  it("finds customers by country and streams sensitive emails", async () => {
    const source = createSqlSource({
      name: "chinook",
      driver: "sqlite",
      path: chinook!,
      tables: ["Customer", "Invoice"],
      sensitive: [{ column: "Customer.Email", type: "EMAIL" }],
    });
    const find = (await source.tools()).find((t) => t.name === "find_Customer")!;
    const { value } = find.validate({
      columns: ["FirstName", "Country"],
      filters: [{ column: "Country", op: "eq", value: "Brazil" }],
      limit: 50,
    });
    const out = (await find.run(value, { signal: new AbortController().signal, stepId: "s" })) as {
      rows: { Country: string }[];
    };
    expect(out.rows.length).toBe(5);
    expect(out.rows.every((r) => r.Country === "Brazil")).toBe(true);
    let emails = 0;
    for await (const v of source.sensitiveValues()) if (v.type === "EMAIL" && v.value.includes("@")) emails++;
    expect(emails).toBe(59);
    await source.close();
  });
});
