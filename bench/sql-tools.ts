/**
 * SQL source benchmark: time to build tools from a 200-table schema, and per-call overhead of a
 * table tool over the raw driver call. Run: npx tsx bench/sql-tools.ts (PostgreSQL too when
 * FLM_TEST_PG_URL is set).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { createSqlSource, type SqlSourceConfig } from "../src/sources/sql/index.js";

const TABLES = 200;
const COLUMNS = 12;
const ROWS = 200;
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);

const ddl = (i: number, prefix = "") =>
  `CREATE TABLE ${prefix}t${i} (id integer PRIMARY KEY, owner_id text, ${Array.from({ length: COLUMNS - 2 }, (_, c) => `c${c} ${c % 2 ? "integer" : "text"}`).join(", ")})`;

function pct(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const ms = (n: number) => `${n.toFixed(3)} ms`;

async function measure(
  label: string,
  connection: Pick<SqlSourceConfig, "driver" | "path" | "url" | "schema">,
) {
  const builds: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const source = createSqlSource({ name: "bench", ...connection, tables: "*" });
    const tools = await source.tools();
    builds.push(performance.now() - t0);
    if (tools.length !== TABLES) throw new Error(`expected ${TABLES} tools, got ${tools.length}`);
    await source.close();
  }
  console.log(
    `${label}: build ${TABLES} table tools (introspect + schemas): median ${ms(pct(builds, 50))}, first ${ms(builds[0])}`,
  );

  const source = createSqlSource({ name: "bench", ...connection, tables: ["t7"], maxRows: 100 });
  const [tool] = await source.tools();
  const driver = source.driver();
  const args = {
    columns: ["id", "c0", "c1"],
    filters: [
      { column: "c1", op: "gte", value: 10 },
      { column: "owner_id", op: "eq", value: "u1" },
    ],
    orderBy: [{ column: "id" }],
    limit: 20,
  };
  const q = driver.dialect === "postgres" ? "$" : "?";
  const ph = (n: number) => (q === "$" ? `$${n}` : "?");
  const rawSql = `SELECT "id", "c0", "c1" FROM "t7" WHERE ("c1" >= ${ph(1)}) AND ("owner_id" = ${ph(2)}) ORDER BY "id" ASC LIMIT 21`;
  const ctx = { signal: new AbortController().signal, stepId: "b" };
  const raw: number[] = [];
  const viaTool: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    let t0 = performance.now();
    await driver.query(rawSql, [10, "u1"], { maxRows: 20, timeoutMs: 5000 });
    raw.push(performance.now() - t0);
    t0 = performance.now();
    const { value } = tool.validate(args);
    await tool.run(value, ctx);
    viaTool.push(performance.now() - t0);
  }
  console.log(
    `${label}: per call (${CALLS} calls, 20 rows) raw driver p50 ${ms(pct(raw, 50))} p99 ${ms(pct(raw, 99))}; ` +
      `table tool (validate+build+run) p50 ${ms(pct(viaTool, 50))} p99 ${ms(pct(viaTool, 99))}; ` +
      `overhead p50 ${ms(pct(viaTool, 50) - pct(raw, 50))}`,
  );
  await source.close();
}

const dir = mkdtempSync(join(tmpdir(), "flm-bench-"));
try {
  const path = join(dir, "wide.sqlite");
  const db = new Database(path);
  db.transaction(() => {
    for (let i = 0; i < TABLES; i++) db.exec(ddl(i));
    const insert = db.prepare(
      `INSERT INTO t7 VALUES (${Array.from({ length: COLUMNS }, () => "?").join(", ")})`,
    );
    for (let r = 0; r < ROWS; r++)
      insert.run(
        r,
        r % 2 ? "u1" : "u2",
        ...Array.from({ length: COLUMNS - 2 }, (_, c) => (c % 2 ? r : `v${r}`)),
      );
  })();
  db.close();
  await measure("sqlite", { driver: "sqlite", path });

  const url = process.env.FLM_TEST_PG_URL;
  if (url) {
    const schema = `flm_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    try {
      for (let i = 0; i < TABLES; i++) await admin.query(ddl(i, `${schema}.`));
      for (let r = 0; r < ROWS; r++) {
        await admin.query(
          `INSERT INTO ${schema}.t7 VALUES (${Array.from({ length: COLUMNS }, (_, k) => `$${k + 1}`).join(", ")})`,
          [r, r % 2 ? "u1" : "u2", ...Array.from({ length: COLUMNS - 2 }, (_, c) => (c % 2 ? r : `v${r}`))],
        );
      }
      await measure("postgres", { driver: "postgres", url, schema });
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  } else {
    console.log("postgres: skipped (set FLM_TEST_PG_URL)");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
