/**
 * Cost of keeping the sensitive index live (issue 11, item 2): a table of 100,000 customers
 * (name and e-mail declared sensitive, so 200,000 values), on SQLite and, when FLM_TEST_PG_URL
 * is set, on PostgreSQL. Measures the first full build, a refresh when nothing changed, a
 * refresh after 100 inserted rows, and a full rebuild.
 *
 * Usage: npx tsx bench/privacy-refresh.ts [--rows 100000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { LiveValueIndex } from "../src/privacy/live-value-index.js";
import { createSqlSource, type SqlSource } from "../src/sources/sql/sql-source.js";

const at = process.argv.indexOf("--rows");
const ROWS = at > 0 ? Number(process.argv[at + 1]) : 100_000;
const FIRST = ["Maria", "José", "Łukasz", "Anna", "Jan", "Zoë", "Ahmed", "Mei", "Olga", "Pierre"];
const LAST = ["Keller", "García", "Wójcik", "Novak", "Müller", "Ørsted", "Haddad", "Chen", "Dubois"];
const row = (i: number) => [
  `${FIRST[i % 10]} ${LAST[i % 9]} ${i.toString(36)}`,
  `customer${i}@example${i % 97}.com`,
];
const sensitive = [
  { column: "customers.name", type: "PERSON" },
  { column: "customers.email", type: "EMAIL" },
];

async function measure(label: string, source: SqlSource, insert: (from: number, n: number) => Promise<void>) {
  const live = new LiveValueIndex({ sources: [source], fullEvery: 1_000 });
  const ms = (r: { durationMs: number }) => `${r.durationMs.toFixed(1)} ms`.padStart(11);
  const heap = () => `${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB heap`;
  const build = await live.rebuild();
  console.log(`${label}: full build of ${build.values} values      ${ms(build)}  (${heap()})`);
  const quiet: number[] = [];
  for (let i = 0; i < 20; i++) quiet.push((await live.refresh()).durationMs);
  quiet.sort((a, b) => a - b);
  console.log(`${label}: refresh, nothing changed             p50 ${quiet[10]!.toFixed(2)} ms`);
  const after: number[] = [];
  for (let i = 0; i < 5; i++) {
    await insert(ROWS + i * 100, 100);
    const r = await live.refresh();
    if (r.added !== 200) throw new Error(`expected 200 new values, got ${r.added}`);
    after.push(r.durationMs);
  }
  after.sort((a, b) => a - b);
  console.log(`${label}: refresh after 100 inserted rows      p50 ${after[2]!.toFixed(2)} ms`);
  const rebuild = await live.rebuild();
  console.log(`${label}: full rebuild                       ${ms(rebuild)}  (${heap()})`);
  await source.close();
}

const dir = mkdtempSync(join(tmpdir(), "flm-refresh-bench-"));
const path = join(dir, "crm.sqlite");
const db = new Database(path);
db.exec("PRAGMA journal_mode = WAL; CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, email TEXT)");
const ins = db.prepare("INSERT INTO customers (name, email) VALUES (?, ?)");
const insertSqlite = async (from: number, n: number) => {
  db.transaction(() => {
    for (let i = from; i < from + n; i++) ins.run(...row(i));
  })();
};
await insertSqlite(0, ROWS);
console.log(`rows: ${ROWS} (2 sensitive columns)`);
await measure(
  "SQLite    ",
  createSqlSource({ name: "crm", driver: "sqlite", path, sensitive }),
  insertSqlite,
);
db.close();
rmSync(dir, { recursive: true, force: true });

const url = process.env.FLM_TEST_PG_URL;
if (!url) console.log("PostgreSQL: set FLM_TEST_PG_URL to measure it too");
else {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("DROP SCHEMA IF EXISTS flm_refresh_bench CASCADE; CREATE SCHEMA flm_refresh_bench");
  await client.query(
    "CREATE TABLE flm_refresh_bench.customers (id serial PRIMARY KEY, name text, email text)",
  );
  const insertPg = async (from: number, n: number) => {
    const names: string[] = [];
    const emails: string[] = [];
    for (let i = from; i < from + n; i++) {
      const [a, b] = row(i);
      names.push(a!);
      emails.push(b!);
    }
    await client.query(
      "INSERT INTO flm_refresh_bench.customers (name, email) SELECT * FROM unnest($1::text[], $2::text[])",
      [names, emails],
    );
  };
  for (let i = 0; i < ROWS; i += 10_000) await insertPg(i, Math.min(10_000, ROWS - i));
  await client.query("VACUUM ANALYZE flm_refresh_bench.customers");
  await measure(
    "PostgreSQL",
    createSqlSource({ name: "crm", driver: "postgres", url, schema: "flm_refresh_bench", sensitive }),
    insertPg,
  );
  await client.query("DROP SCHEMA flm_refresh_bench CASCADE");
  await client.end();
}
