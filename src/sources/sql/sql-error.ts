import { FlmError, type FlmErrorOptions } from "../../errors/flm-error.js";

/**
 * Every error the SQL source throws. Codes:
 * - `SQL_CONFIG_INVALID`: the source configuration is wrong (fix the config).
 * - `SQL_ARGUMENT_INVALID`: the planner's arguments were refused (unknown column, bad operator...).
 * - `SQL_CALLER_REQUIRED`: the query binds `:user.*` but the run has no caller.
 * - `SQL_READ_ONLY`: a write was attempted through a read-only tool or connection.
 * - `SQL_TIMEOUT`: the statement ran longer than `statementTimeoutMs`.
 * - `SQL_BUSY`: the database is locked by another process (or still busy with statements that
 *   timed out) past the statement's time budget; retrying later can succeed.
 * - `SQL_ABORTED`: the run was cancelled.
 * - `SQL_CONNECTION_FAILED`: the database could not be opened or reached.
 * - `SQL_QUERY_FAILED`: the database refused the statement.
 */
export class SqlSourceError extends FlmError {
  static override readonly marker: string = "federated-lm.SqlSourceError";
}

export function sqlError(code: string, message: string, options?: FlmErrorOptions): SqlSourceError {
  return new SqlSourceError(code, message, options);
}
