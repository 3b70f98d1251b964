import { statSync } from "node:fs";
import { FlmError } from "../../errors/flm-error.js";
import { SqliteConnection } from "../../sqlite/sqlite-connection.js";
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
  /** Longest wait for another process's lock; bounded by each statement's timeout (default: that timeout). */
  busyTimeoutMs?: number;
}

/**
 * SQLite behind the SqlDriver interface, on `SqliteConnection`s: each connection lives in its
 * own worker thread, so a database locked by another process, or a slow statement, never blocks
 * the event loop (the gateway keeps answering while a tool waits).
 *
 * Reads go through a connection opened read-only with `PRAGMA query_only = ON` as a second lock;
 * a statement that would write is refused before it runs. The statement timeout is real: the row
 * loop stops at the deadline, a lock wait ends there with `SQL_BUSY`, and a statement still inside
 * SQLite is abandoned (the call fails with `SQL_TIMEOUT` on time). When the file is replaced on
 * disk (a new inode, e.g. a nightly export renamed over it), the next statement reopens it.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  private readonly reader: SqliteConnection;
  private writer?: SqliteConnection;

  constructor(private readonly options: SqliteDriverOptions) {
    if (!statSync(options.path, { throwIfNoEntry: false })?.isFile()) {
      throw sqlError("SQL_CONNECTION_FAILED", `Cannot open SQLite database "${options.path}".`, {
        hint: "Check the path exists and is readable.",
      });
    }
    this.reader = SqliteConnection.lazy({
      path: options.path,
      readonly: true,
      busyTimeoutMs: options.busyTimeoutMs,
    });
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
    try {
      const db = options.write ? this.writable() : this.reader;
      const result = await db.execute(sql, params.map(sqliteValue), {
        maxRows: options.maxRows,
        allowWrite: options.write === true,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      });
      if (result.kind === "write") return { rows: [], rowCount: result.changes, truncated: false };
      const rows = result.rows.map(plainRow);
      return { rows, rowCount: rows.length, truncated: result.truncated };
    } catch (cause) {
      throw translate(cause, sql, this.options.path, options.timeoutMs);
    }
  }

  async *stream(sql: string, params: unknown[], timeoutMs: number): AsyncIterable<unknown> {
    try {
      yield* this.reader.iterate(sql, params.map(sqliteValue), { pluck: true, timeoutMs });
    } catch (cause) {
      throw translate(cause, sql, this.options.path, timeoutMs);
    }
  }

  async introspect(): Promise<TableInfo[]> {
    let rows: { table_name: string; column_name: string; column_type: string }[];
    const sql = `SELECT m.name AS table_name, p.name AS column_name, p.type AS column_type
         FROM sqlite_schema AS m JOIN pragma_table_info(m.name) AS p
         WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         ORDER BY m.name, p.cid`;
    try {
      rows = await this.reader.all(sql);
    } catch (cause) {
      throw translate(cause, sql, this.options.path);
    }
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
    await Promise.all([this.reader.close(), this.writer?.close()]);
  }

  private writable(): SqliteConnection {
    if (!this.options.allowWrites) {
      throw sqlError("SQL_READ_ONLY", "This source is read-only.", {
        hint: "Writes need a declared query with `write: true`.",
      });
    }
    this.writer ??= SqliteConnection.lazy({
      path: this.options.path,
      fileMustExist: true,
      busyTimeoutMs: this.options.busyTimeoutMs,
    });
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

function timeout(ms: number | undefined) {
  return sqlError("SQL_TIMEOUT", `The query ran longer than ${ms ?? "its"} ms and was stopped.`, {
    hint: "Narrow the filters or raise `statementTimeoutMs`.",
  });
}

/** The connection's typed errors, in the SQL source's vocabulary. */
function translate(cause: unknown, sql: string, path: string, timeoutMs?: number) {
  if (!FlmError.isInstance(cause)) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return sqlError("SQL_QUERY_FAILED", `SQLite refused the statement: ${message}.`, { cause });
  }
  switch (cause.code) {
    case "SQLITE_TIMEOUT":
      return timeout(timeoutMs);
    case "SQLITE_BUSY":
      return sqlError("SQL_BUSY", `SQLite database "${path}" is locked by another process.`, {
        cause,
        hint: "Something holds a long transaction on the file; retry once it is released.",
      });
    case "SQLITE_OVERLOADED":
      return sqlError(
        "SQL_BUSY",
        `SQLite database "${path}" is still running earlier statements that timed out.`,
        {
          cause,
          hint: "Retry later; make the slow query cheaper (an index, narrower filters).",
        },
      );
    case "SQLITE_ABORTED":
      return sqlError("SQL_ABORTED", "The run was cancelled while the query ran.", { cause });
    case "SQLITE_OPEN_FAILED":
    case "SQLITE_CLOSED":
      return sqlError("SQL_CONNECTION_FAILED", `Cannot use SQLite database "${path}": ${cause.message}`, {
        cause,
      });
    case "SQLITE_WRITE_REFUSED":
      return sqlError("SQL_READ_ONLY", "This tool is read-only; the statement would change data.", {
        cause,
        hint: "Declare the query with `write: true` if it must write.",
      });
    case "SQLITE_READONLY":
      return sqlError("SQL_READ_ONLY", `${cause.message}.`, {
        cause,
        hint: "Writes need a declared query with `write: true`.",
      });
    case "SQLITE_QUERY_FAILED":
    case "SQLITE_WORKER_FAILED":
      return sqlError("SQL_QUERY_FAILED", `${cause.message}.`, {
        cause,
        hint: `Check the SQL: ${sql.slice(0, 200)}`,
      });
    default:
      return cause;
  }
}
