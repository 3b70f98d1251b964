import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { SensitiveChanges } from "../../tools/tool-source.js";
import { createSqlSource, type SqlSource } from "./sql-source.js";

async function drain(changes: SensitiveChanges) {
  const values: string[] = [];
  for await (const v of changes) values.push(v.value);
  return { values: values.sort(), full: changes.full, mark: changes.mark };
}

const sensitive = [
  { column: "customers.name", type: "PERSON" },
  { column: "customers.email", type: "EMAIL" },
];

describe("SQLite: sensitive values read incrementally (data_version, rowid marks)", () => {
  const path = join(mkdtempSync(join(tmpdir(), "flm-sens-")), "crm.sqlite");
  const writer = new Database(path);
  writer.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, email TEXT)");
  writer.exec("CREATE TABLE tags (name TEXT PRIMARY KEY) WITHOUT ROWID");
  const insert = writer.prepare("INSERT INTO customers (name, email) VALUES (?, ?)");
  insert.run("Maria Keller", "maria@acme.de");
  insert.run("Olivia Green", "olivia@example.org");
  const source = createSqlSource({ name: "crm", driver: "sqlite", path, sensitive });
  afterAll(async () => {
    await source.close();
    writer.close();
  });

  it("reads everything first, then nothing until someone commits, then only the new rows", async () => {
    const first = await drain(source.sensitiveChanges!());
    expect(first).toMatchObject({
      full: true,
      values: ["Maria Keller", "Olivia Green", "maria@acme.de", "olivia@example.org"],
    });
    const unchanged = await drain(source.sensitiveChanges!(first.mark));
    expect(unchanged).toMatchObject({ full: false, values: [] });
    insert.run("Jonathan Whitfield", "jw@example.net");
    const added = await drain(source.sensitiveChanges!(unchanged.mark));
    expect(added).toMatchObject({ full: false, values: ["Jonathan Whitfield", "jw@example.net"] });
    expect((await drain(source.sensitiveChanges!(added.mark))).values).toEqual([]);
  });

  it("reads a table without rowids in full each time", async () => {
    writer.prepare("INSERT INTO tags VALUES (?)").run("VIP-Keller");
    const tags = createSqlSource({ name: "t", driver: "sqlite", path, sensitive: ["tags.name"] });
    const one = await drain(tags.sensitiveChanges!());
    const two = await drain(tags.sensitiveChanges!(one.mark));
    expect([one.full, two.full, two.values]).toEqual([true, true, ["VIP-Keller"]]);
    await tags.close();
  });
});

const url = process.env.FLM_TEST_PG_URL;
describe.skipIf(!url)("PostgreSQL: sensitive values read incrementally (xmin past the snapshot)", () => {
  let source: SqlSource;
  const client = new pg.Client({ connectionString: url });
  afterAll(async () => {
    await source?.close();
    await client.query("DROP SCHEMA IF EXISTS flm_sens CASCADE").catch(() => undefined);
    await client.end();
  });

  it("reads everything first, then inserted and updated rows only", async () => {
    await client.connect();
    await client.query("DROP SCHEMA IF EXISTS flm_sens CASCADE; CREATE SCHEMA flm_sens");
    await client.query("CREATE TABLE flm_sens.customers (id serial PRIMARY KEY, name text, email text)");
    await client.query(
      "INSERT INTO flm_sens.customers (name, email) VALUES ('Maria Keller', 'maria@acme.de'), ('Olivia Green', 'olivia@example.org')",
    );
    source = createSqlSource({ name: "crm", driver: "postgres", url, schema: "flm_sens", sensitive });
    const first = await drain(source.sensitiveChanges!());
    expect(first).toMatchObject({
      full: true,
      values: ["Maria Keller", "Olivia Green", "maria@acme.de", "olivia@example.org"],
    });
    await client.query(
      "INSERT INTO flm_sens.customers (name, email) VALUES ('Jonathan Whitfield', 'jw@example.net')",
    );
    await client.query(
      "UPDATE flm_sens.customers SET email = 'maria.keller@acme.de' WHERE name = 'Maria Keller'",
    );
    const changed = await drain(source.sensitiveChanges!(first.mark));
    expect(changed.full).toBe(false);
    expect(changed.values).toEqual([
      "Jonathan Whitfield",
      "Maria Keller",
      "jw@example.net",
      "maria.keller@acme.de",
    ]);
    const quiet = await drain(source.sensitiveChanges!(changed.mark));
    expect(quiet.values).toEqual([]);
  });
});
