import { FlmError, type FlmErrorOptions } from "../../errors/flm-error.js";

/**
 * Every error the MongoDB source throws. Codes:
 * - `MONGO_CONFIG_INVALID`: the source configuration is wrong.
 * - `MONGO_OPERATOR_REFUSED`: a filter used an operator outside the allow-list (`$where`, `$expr`...).
 * - `MONGO_STAGE_REFUSED`: a pipeline stage outside the allow-list (`$out`, `$merge`...) or malformed.
 * - `MONGO_FIELD_REFUSED`: a field that is not declared, or a key that is not a plain field name.
 * - `MONGO_ARGUMENT_INVALID`: a value of the wrong shape (limit, regex length, ...).
 * - `MONGO_QUERY_FAILED`: the server refused or failed the query (includes `maxTimeMS` expiry).
 * - `MONGO_ABORTED`: the run was cancelled.
 */
export class MongoSourceError extends FlmError {}

export function mongoError(code: string, message: string, options?: FlmErrorOptions): MongoSourceError {
  return new MongoSourceError(code, message, options);
}
