import { FlmError, type FlmErrorOptions } from "../errors/flm-error.js";

/**
 * Every error a `SqliteConnection` throws. Callers usually translate these into their own
 * codes (the SQL source into `SQL_*`, the audit store into `AUDIT_*`). Codes:
 * - `SQLITE_OPEN_FAILED`: the file could not be opened, or was deleted and not replaced.
 * - `SQLITE_BUSY`: another connection (often another process) held a lock past the busy timeout.
 * - `SQLITE_TIMEOUT`: the statement ran past its timeout and was stopped.
 * - `SQLITE_ABORTED`: the caller's signal aborted the statement.
 * - `SQLITE_OVERLOADED`: statements that timed out are still running inside SQLite; new work is
 *   refused until they finish, so runaway statements cannot pile up.
 * - `SQLITE_WRITE_REFUSED`: a statement that writes was sent where only reads are allowed.
 * - `SQLITE_READONLY`: SQLite refused a write (read-only connection, file or directory).
 * - `SQLITE_QUERY_FAILED`: SQLite refused the statement (syntax, constraint, trigger...).
 * - `SQLITE_CLOSED`: the connection was closed.
 * - `SQLITE_WORKER_FAILED`: the worker thread died unexpectedly (the next call starts a new one).
 */
export class SqliteError extends FlmError {
  static override readonly marker: string = "federated-lm.SqliteError";
  /** SQLite's own extended result code when SQLite produced the error, e.g. `SQLITE_CONSTRAINT_TRIGGER`. */
  readonly sqliteCode?: string;
  constructor(code: string, message: string, options: FlmErrorOptions & { sqliteCode?: string } = {}) {
    super(code, message, options);
    this.sqliteCode = options.sqliteCode;
  }
}
