/**
 * One behavioural suite for every SQL engine. Each engine supplies a fresh database holding the
 * small schema below (built by the test), plus a raw counter to prove nothing changed.
 *
 *   account(id integer pk, owner_id text, name text, email text, balance real, note text null)
 *   scratch(id integer pk, label text)   -- the only table a write query touches
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFlmError } from "../../errors/flm-error.js";
import type { Tool, ToolRunContext } from "../../tools/tool.js";
import type { QueryResult } from "./sql-driver.js";
import { createSqlSource, type SqlSource, type SqlSourceConfig } from "./sql-source.js";

export interface SqlEngineFixture {
  /** Connection part of the config (driver + path, or url + schema). */
  connection: Pick<SqlSourceConfig, "driver" | "path" | "url" | "schema">;
  /** Row count through a separate raw connection. */
  count(table: "account" | "scratch"): Promise<number>;
  /** A read statement that runs for well over 50 ms. */
  slowSql: string;
  cleanup(): Promise<void>;
}

export const ACCOUNT_ROWS: [number, string, string, string, number, string | null][] = [
  [1, "u1", "Alice", "alice@example.com", 120.5, "vip"],
  [2, "u1", "Bob", "bob@example.com", 30, null],
  [3, "u2", "Carol", "carol@example.com", 999, "50% off_sale"],
  [4, "u2", "Dan", "dan@example.com", 0, "it's ok"],
  [5, "u3", "Eve", "eve@example.com", 75, null],
];

const u1: ToolRunContext = {
  signal: new AbortController().signal,
  stepId: "s1",
  caller: { id: "u1", roles: ["sales"] },
};

async function call(tool: Tool, args: unknown, ctx: ToolRunContext = u1): Promise<QueryResult> {
  const { value, issues } = tool.validate(args);
  if (issues.length)
    throw Object.assign(new Error(`invalid: ${issues.map((i) => i.message).join("; ")}`), { issues });
  return (await tool.run(value, ctx)) as QueryResult;
}

export function sqlSourceContract(engine: string, setup: () => Promise<SqlEngineFixture>): void {
  describe(`SQL source contract: ${engine}`, () => {
    let fx: SqlEngineFixture;
    let source: SqlSource;
    let tools: Map<string, Tool>;
    const tool = (name: string) => {
      const t = tools.get(name);
      if (!t) throw new Error(`tool ${name} missing; have ${[...tools.keys()].join(", ")}`);
      return t;
    };

    beforeAll(async () => {
      fx = await setup();
      source = createSqlSource({
        name: "crm",
        ...fx.connection,
        tables: ["account", "scratch"],
        queries: [
          {
            name: "my_accounts",
            description: "Accounts owned by the current user, optionally above a balance.",
            sql: "SELECT id, name, balance FROM account WHERE owner_id = :user.id AND balance >= :min_balance ORDER BY id",
            params: {
              type: "object",
              properties: { min_balance: { type: "number" } },
              required: ["min_balance"],
            },
          },
          {
            name: "account_by_name",
            description: "One account by exact name (name bound twice on purpose).",
            sql: "SELECT id, name FROM account WHERE name = :name OR email = :name -- a :comment_param\n",
            params: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
          },
          {
            name: "sneaky_delete",
            description: "A write declared without write: true.",
            sql: "DELETE FROM scratch WHERE id = :id",
            params: { type: "object", properties: { id: { type: "integer" } }, required: ["id"] },
          },
        ],
        sensitive: [{ column: "account.email", type: "EMAIL" }, "account.name"],
        // Generous: these tests are about results, and a loaded machine is slow. The timeout itself
        // has its own test below, on its own source with a 50 ms limit.
        statementTimeoutMs: 10_000,
        maxRows: 3,
      });
      tools = new Map((await source.tools()).map((t) => [t.name, t]));
    });
    afterAll(async () => {
      await source?.close();
      await fx?.cleanup();
    });

    it("builds table tools whose schema enumerates the real columns", () => {
      const find = tool("find_account");
      const filterItem = (find.inputSchema.properties!.filters as any).items;
      expect(filterItem.properties.column.enum).toEqual([
        "id",
        "owner_id",
        "name",
        "email",
        "balance",
        "note",
      ]);
      expect((find.inputSchema.properties!.columns as any).items.enum).toContain("email");
      expect(tool("find_scratch")).toBeDefined();
    });

    it("filters, orders, picks columns and caps rows with a truncated flag", async () => {
      const out = await call(tool("find_account"), {
        columns: ["id", "name"],
        filters: [{ column: "balance", op: "gte", value: 30 }],
        orderBy: [{ column: "balance", direction: "desc" }],
      });
      expect(out.rows).toEqual([
        { id: 3, name: "Carol" },
        { id: 1, name: "Alice" },
        { id: 5, name: "Eve" },
      ]);
      expect(out.truncated).toBe(true);
      expect(out.rowCount).toBe(3);
      const exact = await call(tool("find_account"), {
        columns: ["id"],
        filters: [{ column: "id", op: "in", value: [2, 4] }],
      });
      expect(exact).toEqual({ rows: [{ id: 2 }, { id: 4 }], rowCount: 2, truncated: false });
    });

    it("supports ne, lt, lte, gt, eq, is_null and a case-insensitive, escaped contains", async () => {
      const ids = async (filters: unknown[]) =>
        (
          await call(tool("find_account"), { columns: ["id"], filters, orderBy: [{ column: "id" }] })
        ).rows.map((r) => r.id);
      expect(await ids([{ column: "owner_id", op: "eq", value: "u2" }])).toEqual([3, 4]);
      expect(
        await ids([
          { column: "owner_id", op: "ne", value: "u1" },
          { column: "balance", op: "lt", value: 100 },
        ]),
      ).toEqual([4, 5]);
      expect(
        await ids([
          { column: "balance", op: "lte", value: 30 },
          { column: "balance", op: "gt", value: 0 },
        ]),
      ).toEqual([2]);
      expect(await ids([{ column: "note", op: "is_null", value: true }])).toEqual([2, 5]);
      expect(
        await ids([
          { column: "note", op: "is_null", value: false },
          { column: "id", op: "lt", value: 4 },
        ]),
      ).toEqual([1, 3]);
      expect(await ids([{ column: "name", op: "contains", value: "CAR" }])).toEqual([3]);
      // `%` and `_` are literal, not wildcards.
      expect(await ids([{ column: "note", op: "contains", value: "0% off_" }])).toEqual([3]);
      expect(await ids([{ column: "note", op: "contains", value: "%" }])).toEqual([3]);
      expect(await ids([{ column: "note", op: "contains", value: "_" }])).toEqual([3]);
      expect(await ids([{ column: "note", op: "contains", value: "it's" }])).toEqual([4]);
    });

    it("binds named parameters (also repeated ones) and ignores ones inside comments", async () => {
      expect((await call(tool("account_by_name"), { name: "bob@example.com" })).rows).toEqual([
        { id: 2, name: "Bob" },
      ]);
      expect((await call(tool("account_by_name"), { name: "Bob" })).rows).toEqual([{ id: 2, name: "Bob" }]);
    });

    it("binds :user.id from the caller, never from the planner", async () => {
      const mine = tool("my_accounts");
      expect(JSON.stringify(mine.inputSchema)).not.toContain("user");
      expect((await call(mine, { min_balance: 0 })).rows.map((r) => r.id)).toEqual([1, 2]);
      // The planner cannot supply the identity: the schema refuses it.
      expect(mine.validate({ min_balance: 0, "user.id": "u2" }).issues.length).toBeGreaterThan(0);
      expect(mine.validate({ min_balance: 0, user: { id: "u2" } }).issues.length).toBeGreaterThan(0);
      const u2 = { ...u1, caller: { id: "u2", roles: [] } };
      expect((await call(mine, { min_balance: 0 }, u2)).rows.map((r) => r.id)).toEqual([3, 4]);
      await expect(call(mine, { min_balance: 0 }, { signal: u1.signal, stepId: "s1" })).rejects.toMatchObject(
        {
          code: "SQL_CALLER_REQUIRED",
        },
      );
    });

    it("row filter: a planner asking for another user's rows gets none", async () => {
      const guarded = createSqlSource({
        name: "crm_rls",
        ...fx.connection,
        tables: [{ name: "account", rowFilter: { column: "owner_id", equals: ":user.id" } }],
      });
      try {
        const [find] = await guarded.tools();
        const theirs = await call(find, { filters: [{ column: "owner_id", op: "eq", value: "u2" }] });
        expect(theirs.rows).toEqual([]);
        const all = await call(find, {});
        expect(all.rows.map((r) => r.owner_id)).toEqual(["u1", "u1"]);
        const either = await call(find, {
          filters: [{ column: "owner_id", op: "in", value: ["u1", "u2", "u3"] }],
        });
        expect(new Set(either.rows.map((r) => r.owner_id))).toEqual(new Set(["u1"]));
        await expect(call(find, {}, { signal: u1.signal, stepId: "s1" })).rejects.toMatchObject({
          code: "SQL_CALLER_REQUIRED",
        });
      } finally {
        await guarded.close();
      }
    });

    it("refuses or harmlessly binds injection attempts through every argument; data unchanged", async () => {
      const before = [await fx.count("account"), await fx.count("scratch")];
      const find = tool("find_account");
      const payloads = [
        "x'; DROP TABLE account; --",
        "1; DELETE FROM scratch",
        "1 OR 1=1",
        "' OR '1'='1",
        "1) OR (1=1",
        "/* */ 1 /**/",
        "name\u0000",
        "name\u200b",
        "ｎａｍｅ",
        'name" FROM scratch; --',
        "id`",
        "*",
      ];
      let refused = 0;
      for (const p of payloads) {
        const attempts: unknown[] = [
          { columns: [p] },
          { filters: [{ column: p, op: "eq", value: 1 }] },
          { filters: [{ column: "name", op: p, value: 1 }] },
          { orderBy: [{ column: p }] },
          { orderBy: [{ column: "id", direction: p }] },
          { limit: p },
        ];
        for (const args of attempts) {
          // Refused by the schema; and the run-time check refuses too if validation were skipped.
          expect(find.validate(args).issues.length, JSON.stringify(args)).toBeGreaterThan(0);
          await expect(find.run(args as never, u1)).rejects.toMatchObject({ code: "SQL_ARGUMENT_INVALID" });
          refused++;
        }
        // Values are bound: they match nothing and change nothing. The engine may refuse a value
        // (PostgreSQL: text for an integer, NUL bytes) but only with a typed error.
        const harmless = (run: Promise<QueryResult>, maxRows: number) =>
          run.then(
            (out) => expect(out.rows.length).toBeLessThanOrEqual(maxRows),
            (error) =>
              expect(isFlmError(error) && error.code === "SQL_QUERY_FAILED", String(error)).toBe(true),
          );
        for (const op of ["eq", "contains"])
          await harmless(call(find, { filters: [{ column: "name", op, value: p }] }), 0);
        await harmless(call(find, { filters: [{ column: "id", op: "in", value: [p, 1] }] }), 1);
        await harmless(call(find, { filters: [{ column: "id", op: "eq", value: p }] }), 0);
        await harmless(call(tool("account_by_name"), { name: p }), 0);
        await harmless(
          call(tool("my_accounts"), { min_balance: 0 }, { ...u1, caller: { id: p, roles: [p] } }),
          0,
        );
      }
      expect(refused).toBe(payloads.length * 6);
      expect([await fx.count("account"), await fx.count("scratch")]).toEqual(before);
    });

    it("is read-only: a write through a non-write query fails clearly and changes nothing", async () => {
      const before = await fx.count("scratch");
      await expect(call(tool("sneaky_delete"), { id: 1 })).rejects.toMatchObject({ code: "SQL_READ_ONLY" });
      expect(await fx.count("scratch")).toBe(before);
    });

    it("writes only through a declared query with write: true", async () => {
      const writer = createSqlSource({
        name: "crm_w",
        ...fx.connection,
        queries: [
          {
            name: "add_scratch",
            description: "Adds a scratch row.",
            sql: "INSERT INTO scratch (id, label) VALUES (:id, :label)",
            params: {
              type: "object",
              properties: { id: { type: "integer" }, label: { type: "string" } },
              required: ["id", "label"],
            },
            write: true,
          },
        ],
      });
      try {
        const before = await fx.count("scratch");
        const [add] = await writer.tools();
        const out = await call(add, { id: 100, label: "'); DROP TABLE account; --" });
        expect(out.rowCount).toBe(1);
        expect(await fx.count("scratch")).toBe(before + 1);
        expect(await fx.count("account")).toBe(ACCOUNT_ROWS.length);
      } finally {
        await writer.close();
      }
      expect(() =>
        createSqlSource({
          name: "x",
          ...fx.connection,
          readOnly: true,
          queries: [{ name: "w", description: "w", sql: "DELETE FROM scratch", write: true }],
        }),
      ).toThrow(/readOnly/);
    });

    it("stops a statement that exceeds the timeout", async () => {
      const slow = createSqlSource({
        name: "crm_slow",
        ...fx.connection,
        statementTimeoutMs: 50,
        maxRows: 100_000,
        queries: [{ name: "slow", description: "slow", sql: fx.slowSql }],
      });
      try {
        const [t] = await slow.tools();
        await expect(call(t, {})).rejects.toMatchObject({ code: "SQL_TIMEOUT" });
      } finally {
        await slow.close();
      }
    });

    it("refuses bad declarations with SQL_CONFIG_INVALID", async () => {
      const bad = (sql: string, params?: object) =>
        createSqlSource({
          name: "bad",
          ...fx.connection,
          queries: [{ name: "q", description: "q", sql, params: params as never }],
        }).tools();
      await expect(bad("SELECT * FROM account WHERE id = :id")).rejects.toMatchObject({
        code: "SQL_CONFIG_INVALID",
      });
      await expect(
        bad("SELECT 1", { type: "object", properties: { unused: { type: "string" } } }),
      ).rejects.toMatchObject({ code: "SQL_CONFIG_INVALID" });
      await expect(
        bad("SELECT :user.id", { type: "object", properties: { user: { type: "string" } } }),
      ).rejects.toMatchObject({ code: "SQL_CONFIG_INVALID" });
      await expect(bad("SELECT * FROM account WHERE id = $1")).rejects.toMatchObject({
        code: "SQL_CONFIG_INVALID",
      });
      await expect(
        createSqlSource({ name: "bad", ...fx.connection, tables: ["nope"] }).tools(),
      ).rejects.toMatchObject({ code: "SQL_CONFIG_INVALID" });
      // Two statements in one declared query never run.
      const two = createSqlSource({
        name: "two",
        ...fx.connection,
        queries: [{ name: "two", description: "two", sql: "SELECT 1; DELETE FROM scratch" }],
      });
      const [t] = await two.tools();
      await expect(call(t, {})).rejects.toSatisfy(isFlmError);
      await two.close();
    });

    it("streams distinct sensitive values with their entity type and origin", async () => {
      const values = [];
      for await (const v of source.sensitiveValues()) values.push(v);
      expect(values).toContainEqual({
        type: "EMAIL",
        value: "carol@example.com",
        origin: "crm.account.email",
      });
      expect(values).toContainEqual({ type: "NAME", value: "Alice", origin: "crm.account.name" });
      expect(values.filter((v) => v.type === "EMAIL")).toHaveLength(ACCOUNT_ROWS.length);
    });

    it("check() reports reachability", async () => {
      const ok = await source.check();
      expect(ok.ok).toBe(true);
      expect(ok.detail).toMatch(/2 tables/);
    });

    it("honours an aborted signal", async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(tool("find_account").run({}, { ...u1, signal: controller.signal })).rejects.toMatchObject({
        code: "SQL_ABORTED",
      });
    });
  });
}
