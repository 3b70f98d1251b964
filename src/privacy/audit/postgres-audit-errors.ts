import { FlmError } from "../../errors/flm-error.js";
import { AuditStoreError, AuditStoreUnavailableError } from "./audit-errors.js";

/** SQLSTATE classes and driver errors that mean "the database is not reachable or busy right now". */
const UNAVAILABLE_STATES = /^(08|53|57P0[1-3]|55P03|57014|40P01)/;
const UNAVAILABLE_ERRNOS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "EPIPE",
]);

function isUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? e.code : "";
  const message = typeof e?.message === "string" ? e.message : "";
  return (
    UNAVAILABLE_STATES.test(code) ||
    UNAVAILABLE_ERRNOS.has(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    )
  );
}

/** AUDIT_STORE_UNAVAILABLE (503, retry) for an outage or a held lock; AUDIT_STORE_FAILED otherwise. */
export function storeError(message: string, cause: unknown, options: { hint: string }): Error {
  if (FlmError.isInstance(cause)) return cause;
  if (isUnavailable(cause)) {
    return new AuditStoreUnavailableError(
      `${message} The database is unreachable or the chain lock is held.`,
      {
        cause,
        hint: `${options.hint} Retry shortly; PostgreSQL connections recover by themselves.`,
      },
    );
  }
  return new AuditStoreError(message, { cause, hint: options.hint });
}
