import Database from "better-sqlite3";
import { FlmError } from "../../errors/flm-error.js";
import {
  columnKind,
  plainRow,
  type QueryOptions,
  type QueryResult,
  quoteIdent,
  type SqlDriver,
  type TableInfo,
} from "./sql-driver.js";
import { sqlError } from "./sql-error.js";

export interface SqliteDriverOptions {
  path: string;
  /** Open a second, writable connection when a `write: true` query runs. Off: every write fails. */
  allowWrites?: boolean;
}

/**
 * better-sqlite3 behind the SqlDriver interface.
 *
 * Reads go through a connection opened `readonly: true` with `PRAGMA query_only = ON` as a second
 * lock. better-sqlite3 is synchronous and has no statement timeout or interrupt, so the timeout is
 * enforced while stepping through rows with `iterate()`: the clock is checked after every row and the
 * statement is abandoned once over budget. A statement that works a long time before producing its
 * first row (a big sort or aggregate) is not interrupted; the row cap bounds everything else.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  private readonly reader: Database.Database;
  private writer?: Database.Database;

  constructor(private readonly options: SqliteDriverOptions) {
    try {
      this.reader = new Database(options.path, { readonly: true, fileMustExist: true });
      this.reader.pragma("query_only = ON");
    } catch (cause) {
      throw sqlError("SQL_CONNECTION_FAILED", `Cannot open SQLite database "${options.path}".`, {
        cause,
        hint: "Check the path exists and is readable.",
      });
    }
  }

  placeholder(): string {
    return "?";
  }

  quoteIdent(name: string): string {
    return quoteIdent(name);
  }

  describe(): string {
    return `sqlite ${this.options.path}`;
  }

  async query(sql: string, params: unknown[], options: QueryOptions): Promise<QueryResult> {
    if (options.signal?.aborted)
      throw sqlError("SQL_ABORTED", "The run was cancelled before the query started.");
    const db = options.write ? this.writable() : this.reader;
    let stmt: Database.Statement;
    try {
      stmt = db.prepare(sql);
    } catch (cause) {
      throw translate(cause, sql);
    }
    if (!stmt.reader && !options.write) {
      throw sqlError("SQL_READ_ONLY", "This tool is read-only; the statement would change data.", {
        hint: "Declare the query with `write: true` if it must write.",
      });
    }
    const bound = params.map(sqliteValue);
    try {
      if (!stmt.reader) {
        const info = stmt.run(...bound);
        return { rows: [], rowCount: info.changes, truncated: false };
      }
      const deadline = Date.now() + options.timeoutMs;
      const rows: Record<string, unknown>[] = [];
      let truncated = false;
      for (const row of stmt.iterate(...bound) as IterableIterator<Record<string, unknown>>) {
        if (rows.length >= options.maxRows) {
          truncated = true;
          break;
        }
        rows.push(plainRow(row));
        if (Date.now() > deadline) throw timeout(options.timeoutMs);
      }
      return { rows, rowCount: rows.length, truncated };
    } catch (cause) {
      throw translate(cause, sql);
    }
  }

  async *stream(sql: string, params: unknown[], timeoutMs: number): AsyncIterable<unknown> {
    const deadline = Date.now() + timeoutMs;
    const stmt = this.reader.prepare(sql).pluck();
    for (const value of stmt.iterate(...params.map(sqliteValue))) {
      if (Date.now() > deadline) throw timeout(timeoutMs);
      yield value;
    }
  }

  async introspect(): Promise<TableInfo[]> {
    const rows = this.reader
      .prepare(
        `SELECT m.name AS table_name, p.name AS column_name, p.type AS column_type
         FROM sqlite_schema AS m JOIN pragma_table_info(m.name) AS p
         WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         ORDER BY m.name, p.cid`,
      )
      .all() as { table_name: string; column_name: string; column_type: string }[];
    const tables = new Map<string, TableInfo>();
    for (const row of rows) {
      let table = tables.get(row.table_name);
      if (!table) {
        table = { name: row.table_name, columns: [] };
        tables.set(row.table_name, table);
      }
      table.columns.push({
        name: row.column_name,
        dbType: row.column_type,
        kind: columnKind(row.column_type),
      });
    }
    return [...tables.values()];
  }

  async close(): Promise<void> {
    if (this.reader.open) this.reader.close();
    if (this.writer?.open) this.writer.close();
  }

  private writable(): Database.Database {
    if (!this.options.allowWrites) {
      throw sqlError("SQL_READ_ONLY", "This source is read-only.", {
        hint: "Writes need a declared query with `write: true`.",
      });
    }
    this.writer ??= new Database(this.options.path, { fileMustExist: true });
    return this.writer;
  }
}

/** better-sqlite3 binds only numbers, strings, bigints, buffers and null. */
function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (Array.isArray(value) || (typeof value === "object" && value !== null && !Buffer.isBuffer(value))) {
    return JSON.stringify(value); // read with json_each(:param)
  }
  return value;
}

function timeout(ms: number) {
  return sqlError("SQL_TIMEOUT", `The query ran longer than ${ms} ms and was stopped.`, {
    hint: "Narrow the filters or raise `statementTimeoutMs`.",
  });
}

function translate(cause: unknown, sql: string) {
  if (FlmError.isInstance(cause)) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/readonly|read-only|query_only/i.test(message)) {
    return sqlError("SQL_READ_ONLY", `The database refused a write: ${message}.`, {
      cause,
      hint: "Writes need a declared query with `write: true`.",
    });
  }
  return sqlError("SQL_QUERY_FAILED", `SQLite refused the statement: ${message}.`, {
    cause,
    hint: `Check the SQL: ${sql.slice(0, 200)}`,
  });
}
