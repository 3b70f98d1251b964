import pg from "pg";
import { describe, expect, it } from "vitest";
import { toolSourceContract } from "../../testing/tool-source-contract.js";
import { createSqlSource } from "./sql-source.js";
import { ACCOUNT_ROWS, sqlSourceContract } from "./sql-source.contract.js";

const url = process.env.FLM_TEST_PG_URL;

/** A unique schema holding the contract tables, dropped afterwards. */
async function makeSchema(): Promise<{ schema: string; admin: pg.Client; drop: () => Promise<void> }> {
  const schema = `flm_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.account (id integer PRIMARY KEY, owner_id text NOT NULL, name text NOT NULL, email text NOT NULL, balance double precision NOT NULL, note text);
    CREATE TABLE ${schema}.scratch (id integer PRIMARY KEY, label text);
    INSERT INTO ${schema}.scratch VALUES (1, 'one'), (2, 'two');`);
  for (const row of ACCOUNT_ROWS)
    await admin.query(`INSERT INTO ${schema}.account VALUES ($1, $2, $3, $4, $5, $6)`, row);
  return {
    schema,
    admin,
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

describe.skipIf(!url)("PostgreSQL (FLM_TEST_PG_URL)", () => {
  sqlSourceContract("postgres", async () => {
    const { schema, admin, drop } = await makeSchema();
    return {
      connection: { driver: "postgres", url, schema },
      count: async (table) =>
        Number((await admin.query(`SELECT count(*) AS n FROM ${schema}.${table}`)).rows[0].n),
      slowSql: "SELECT pg_sleep(2) AS slept",
      cleanup: drop,
    };
  });

  let dropContract: (() => Promise<void>) | undefined;
  toolSourceContract("sql postgres", async () => {
    const { schema, drop } = await makeSchema();
    dropContract = drop;
    const source = createSqlSource({ name: "crm", driver: "postgres", url, schema, tables: ["account"] });
    const close = source.close.bind(source);
    source.close = async () => {
      await close();
      await dropContract?.();
    };
    return {
      source,
      call: { tool: "find_account", args: { filters: [{ column: "owner_id", op: "eq", value: "u1" }] } },
      invalidArgs: { filters: [{ column: "no_such_column", op: "eq", value: 1 }] },
    };
  });

  it("binds :user.roles as an array for = ANY(...)", async () => {
    const { schema, drop } = await makeSchema();
    const source = createSqlSource({
      name: "crm",
      driver: "postgres",
      url,
      schema,
      queries: [
        {
          name: "by_role",
          description: "Accounts whose note is a role.",
          sql: "SELECT id FROM account WHERE note = ANY(:user.roles::text[]) ORDER BY id",
        },
      ],
    });
    try {
      const [tool] = await source.tools();
      const out = (await tool.run(
        {},
        { signal: new AbortController().signal, stepId: "s", caller: { id: "x", roles: ["vip", "it's ok"] } },
      )) as { rows: unknown[] };
      expect(out.rows).toEqual([{ id: 1 }, { id: 4 }]);
    } finally {
      await source.close();
      await drop();
    }
  });

  it("refuses an unreachable server with a clear check() result", async () => {
    const source = createSqlSource({
      name: "down",
      driver: "postgres",
      url: "postgres://flm:flm@127.0.0.1:1/nope",
      tables: "*",
    });
    const result = await source.check();
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/Cannot connect to PostgreSQL/);
    await source.close();
  });

  describe("Chinook (database chinook on the same server)", () => {
    const chinookUrl = url ? Object.assign(new URL(url), { pathname: "/chinook" }).toString() : "";
    it("finds customers by country and streams sensitive emails", async () => {
      const source = createSqlSource({
        name: "chinook",
        driver: "postgres",
        url: chinookUrl,
        tables: ["customer", "invoice"],
        sensitive: [{ column: "customer.email", type: "EMAIL" }],
      });
      try {
        const check = await source.check();
        if (!check.ok && /does not exist/.test(check.detail)) return; // Chinook not loaded here
        const find = (await source.tools()).find((t) => t.name === "find_customer")!;
        const { value } = find.validate({
          columns: ["first_name", "country"],
          filters: [{ column: "country", op: "eq", value: "Brazil" }],
        });
        const out = (await find.run(value, { signal: new AbortController().signal, stepId: "s" })) as {
          rows: { country: string }[];
        };
        expect(out.rows.length).toBe(5);
        let emails = 0;
        for await (const v of source.sensitiveValues()) if (v.type === "EMAIL") emails++;
        expect(emails).toBe(59);
      } finally {
        await source.close();
      }
    });
  });
});

describe.skipIf(!url)("PostgreSQL dates", () => {
  it("returns a date column as the calendar date, and indexes it in that form, whatever the time zone", async () => {
    const { schema, admin, drop } = await makeSchema();
    try {
      await admin.query(`CREATE TABLE ${schema}.patient (id integer PRIMARY KEY, birth_date date NOT NULL)`);
      await admin.query(`INSERT INTO ${schema}.patient VALUES (1, '1985-03-05')`);
      const source = createSqlSource({
        name: "clinic",
        driver: "postgres",
        url,
        schema,
        tables: ["patient"],
        sensitive: [{ column: "patient.birth_date", type: "DATE_OF_BIRTH" }],
      });
      try {
        const tool = (await source.tools()).find((t) => t.name === "find_patient")!;
        const out = (await tool.run(tool.validate({}).value, {
          signal: new AbortController().signal,
          stepId: "s1",
        })) as {
          rows: Array<{ birth_date: unknown }>;
        };
        expect(out.rows[0].birth_date).toBe("1985-03-05");
        const values = [];
        for await (const v of source.sensitiveValues()) values.push(v.value);
        expect(values).toEqual(["1985-03-05"]);
      } finally {
        await source.close();
      }
    } finally {
      await drop();
    }
  });
});
