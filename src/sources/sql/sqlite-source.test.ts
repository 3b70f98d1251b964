import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { toolSourceContract } from "../../../test/contracts/tool-source-contract.js";
import { sharedFile } from "../../../test/helpers/shared-dir.js";
import { createSqlSource } from "./sql-source.js";
import { ACCOUNT_ROWS, sqlSourceContract } from "./sql-source-contract.js";

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
