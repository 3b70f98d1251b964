import { FlmError, type FlmErrorOptions } from "../../errors/flm-error.js";

/**
 * Every error the MongoDB source throws. Codes:
 * - `MONGO_CONFIG_INVALID`: the source configuration is wrong.
 * - `MONGO_OPERATOR_REFUSED`: a filter used an operator outside the allow-list (`$where`, `$expr`...).
 * - `MONGO_STAGE_REFUSED`: a pipeline stage outside the allow-list (`$out`, `$merge`...) or malformed.
 * - `MONGO_FIELD_REFUSED`: a field that is not declared, or a key that is not a plain field name.
 * - `MONGO_ARGUMENT_INVALID`: a value of the wrong shape (limit, regex length, ...).
 * - `MONGO_TIMEOUT`: the server stopped the query at `maxTimeMS` (server error 50, MaxTimeMSExpired).
 * - `MONGO_CONNECTION_FAILED`: the server could not be reached, or the connection dropped mid-query.
 * - `MONGO_QUERY_FAILED`: the server refused or failed the query for another reason.
 * - `MONGO_CALLER_REQUIRED`: the collection binds the caller's identity and the run has none.
 * - `MONGO_ABORTED`: the run was cancelled.
 */
export class MongoSourceError extends FlmError {
  static override readonly marker: string = "federated-lm.MongoSourceError";
}

export function mongoError(code: string, message: string, options?: FlmErrorOptions): MongoSourceError {
  return new MongoSourceError(code, message, options);
}

/** MongoDB's MaxTimeMSExpired. */
const MAX_TIME_MS_EXPIRED = 50;

/** A driver failure during a query, as the typed error a step reports. */
export function queryFailure(
  cause: unknown,
  context: { source: string; maxTimeMS: number; aborted: boolean },
): MongoSourceError {
  if (FlmError.isInstance(cause)) return cause as MongoSourceError;
  if (context.aborted)
    return mongoError("MONGO_ABORTED", "The run was cancelled while the query ran.", { cause });
  if (
    isDriverError(cause, "MongoServerError") &&
    (cause as { code?: unknown }).code === MAX_TIME_MS_EXPIRED
  ) {
    return mongoError(
      "MONGO_TIMEOUT",
      `MongoDB stopped the query after maxTimeMS (${context.maxTimeMS} ms) for source "${context.source}".`,
      {
        cause,
        hint: "Narrow the filter or lower the limit, or raise maxTimeMS in the source's configuration.",
      },
    );
  }
  if (isDriverError(cause, "MongoNetworkError") || isDriverError(cause, "MongoServerSelectionError")) {
    return mongoError(
      "MONGO_CONNECTION_FAILED",
      `Lost the connection to MongoDB during the query for source "${context.source}": ${(cause as Error).message}.`,
      {
        cause,
        hint: "Check that the server runs and is reachable; the call only reads, so it is safe to retry.",
      },
    );
  }
  return mongoError(
    "MONGO_QUERY_FAILED",
    `MongoDB failed the query: ${(cause as Error)?.message ?? String(cause)}.`,
    {
      cause,
      hint: "Narrow the filter; queries stop after maxTimeMS.",
    },
  );
}

/**
 * `error instanceof <driver class>` without importing the driver (an optional dependency, loaded
 * only by a MongoDB source): the class or one of its ancestors has that name.
 */
function isDriverError(error: unknown, className: string): boolean {
  for (
    let p = error instanceof Error ? Object.getPrototypeOf(error) : null;
    p;
    p = Object.getPrototypeOf(p)
  ) {
    if (p.constructor?.name === className) return true;
  }
  return false;
}
