import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import {
  runsTableDdl,
  type SqlConnection,
  SqlTraceStore,
  type SqlTraceStoreOptions,
} from "./sql-trace-store.js";
import { TraceStoreError } from "./trace-errors.js";

export interface SqliteTraceStoreOptions extends SqlTraceStoreOptions {
  /** A file path, or `:memory:` for a store that lives as long as the process. */
  path: string;
  /** Milliseconds to wait for another connection holding the write lock (default 250). */
  busyTimeoutMs?: number;
}

/**
 * The default trace store: one SQLite file (WAL), by default next to the audit log. Traces are
 * diagnostics, so commits use `synchronous = NORMAL` (a crash loses at most the last runs' traces,
 * never corrupts the file) and the busy timeout is short.
 */
export async function openSqliteTraceStore(options: SqliteTraceStoreOptions): Promise<SqlTraceStore> {
  const connection = openConnection(options.path, options.busyTimeoutMs ?? 250);
  return SqlTraceStore.open(connection, "runs", options);
}

function openConnection(path: string, busyTimeoutMs: number): SqlConnection {
  let db: Database.Database;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { timeout: busyTimeoutMs });
    if (path !== ":memory:") db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    for (const ddl of runsTableDdl("runs")) db.exec(ddl);
  } catch (cause) {
    throw new TraceStoreError(`Could not open the SQLite trace store at ${path}.`, {
      cause,
      hint: "Check that the directory is writable and the file is a SQLite database (or set traces.path).",
    });
  }
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (statements.size > 200) statements.clear();
      statements.set(sql, stmt);
    }
    return stmt;
  };
  return {
    dialect: "sqlite",
    query: async (sql, params = []) => prepare(sql).all(...params) as Record<string, unknown>[],
    execute: async (sql, params = []) => prepare(sql).run(...params).changes,
    close: async () => {
      db.close();
    },
  };
}
