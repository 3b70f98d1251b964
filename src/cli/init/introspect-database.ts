import { existsSync } from "node:fs";
import { loadPg } from "../../core/load-optional.js";
import { UsageError } from "../exit-codes.js";

export interface ColumnInfo {
  name: string;
  type: string;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
}

/** A database `flm init` reads: its tables and columns, and a sample of a column's values. */
export interface IntrospectedDatabase {
  driver: "sqlite" | "postgres";
  /** What goes into the config: the file path or the URL. */
  target: string;
  tables: TableInfo[];
  /** Up to `n` non-null values of a column, as text (never printed: only run through the detectors). */
  sample(table: string, column: string, n: number): Promise<string[]>;
  close(): Promise<void>;
}

const isUrl = (target: string) => /^postgres(ql)?:\/\//i.test(target);
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Opens a SQLite file (read-only) or a PostgreSQL URL and lists its tables and columns. */
export async function introspectDatabase(target: string): Promise<IntrospectedDatabase> {
  return isUrl(target) ? introspectPostgres(target) : introspectSqlite(target);
}

async function introspectSqlite(path: string): Promise<IntrospectedDatabase> {
  if (!existsSync(path)) {
    throw new UsageError(
      `No database file at ${path}.`,
      "Pass the path of a SQLite file, or a postgres:// URL.",
    );
  }
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const names = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all() as Array<{ name: string }>;
  const tables = names.map(({ name }) => ({
    name,
    columns: (
      db.prepare(`PRAGMA table_info(${quoteIdent(name)})`).all() as Array<{ name: string; type: string }>
    ).map((c) => ({ name: c.name, type: c.type || "TEXT" })),
  }));
  return {
    driver: "sqlite",
    target: path,
    tables,
    async sample(table, column, n) {
      const rows = db
        .prepare(
          `SELECT CAST(${quoteIdent(column)} AS TEXT) AS v FROM ${quoteIdent(table)} WHERE ${quoteIdent(column)} IS NOT NULL LIMIT ?`,
        )
        .all(n) as Array<{ v: string }>;
      return rows.map((r) => r.v);
    },
    async close() {
      db.close();
    },
  };
}

async function introspectPostgres(url: string): Promise<IntrospectedDatabase> {
  const { default: pg } = await loadPg();
  const client = new pg.Client({ connectionString: url, statement_timeout: 10_000 });
  await client.connect();
  const { rows } = await client.query<{
    table_schema: string;
    table_name: string;
    column_name: string;
    data_type: string;
  }>(
    `SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema = ANY(current_schemas(false))
      ORDER BY table_schema, table_name, ordinal_position`,
  );
  const byTable = new Map<string, TableInfo>();
  for (const r of rows) {
    const name = r.table_schema === "public" ? r.table_name : `${r.table_schema}.${r.table_name}`;
    const t = byTable.get(name) ?? { name, columns: [] };
    t.columns.push({ name: r.column_name, type: r.data_type });
    byTable.set(name, t);
  }
  const qualified = (table: string) => table.split(".").map(quoteIdent).join(".");
  return {
    driver: "postgres",
    target: url,
    tables: [...byTable.values()],
    async sample(table, column, n) {
      const result = await client.query<{ v: string }>(
        `SELECT ${quoteIdent(column)}::text AS v FROM ${qualified(table)} WHERE ${quoteIdent(column)} IS NOT NULL LIMIT $1`,
        [n],
      );
      return result.rows.map((r) => r.v);
    },
    async close() {
      await client.end();
    },
  };
}
