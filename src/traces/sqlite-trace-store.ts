import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { SqliteConnection } from "../sqlite/sqlite-connection.js";
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
  /** Longest wait for another connection holding the write lock (default 1000 ms). */
  busyTimeoutMs?: number;
  /** Longest a statement may run (default 5000 ms). */
  statementTimeoutMs?: number;
}

/**
 * The default trace store: one SQLite file (WAL), by default next to the audit log. Its
 * connection lives in a worker thread (src/sqlite), so a locked or slow file never blocks the
 * event loop: a write that cannot get the lock fails after `busyTimeoutMs` (the gateway reports
 * it and answers anyway). Traces are diagnostics, so commits use `synchronous = NORMAL` (a crash
 * loses at most the last runs' traces, never corrupts the file).
 */
export async function openSqliteTraceStore(options: SqliteTraceStoreOptions): Promise<SqlTraceStore> {
  const memory = options.path === ":memory:";
  let db: SqliteConnection;
  try {
    if (!memory) mkdirSync(dirname(options.path), { recursive: true });
    db = await SqliteConnection.open({
      path: options.path,
      pragmas: memory ? ["synchronous = NORMAL"] : ["journal_mode = WAL", "synchronous = NORMAL"],
      setupSql: runsTableDdl("runs").join(";\n"),
      statementTimeoutMs: options.statementTimeoutMs ?? 5000,
      busyTimeoutMs: options.busyTimeoutMs ?? 1000,
    });
  } catch (cause) {
    throw new TraceStoreError(`Could not open the SQLite trace store at ${options.path}.`, {
      cause,
      hint: "Check that the directory is writable and the file is a SQLite database (or set traces.path).",
    });
  }
  const connection: SqlConnection = {
    dialect: "sqlite",
    query: (sql, params = []) => db.all(sql, params),
    execute: async (sql, params = []) => (await db.run(sql, params)).changes,
    close: () => db.close(),
  };
  return SqlTraceStore.open(connection, "runs", options);
}
