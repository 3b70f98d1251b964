import { FlmError } from "../errors/flm-error.js";

/**
 * The shared state (PostgreSQL behind `state.url`) is unreachable for now: the server is down,
 * restarting, or dropped the connection. Nothing was half-written; the request can be retried.
 */
export class StateStoreUnavailableError extends FlmError {
  static override readonly marker: string = "federated-lm.StateStoreUnavailableError";
  constructor(what: string, cause?: unknown) {
    super("STATE_STORE_UNAVAILABLE", `The shared state store is unreachable (${what}).`, {
      cause,
      hint: "Retry in a moment; if it lasts, check that PostgreSQL at state.url is up and reachable.",
    });
  }
}

/** The shared state store refused a statement for another reason (permissions, a damaged schema). */
export class StateStoreError extends FlmError {
  static override readonly marker: string = "federated-lm.StateStoreError";
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super("STATE_STORE_FAILED", message, options);
  }
}

/** Node socket errors and PostgreSQL SQLSTATE classes that mean "the server is not there right now". */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
]);

/**
 * True when a pg error means the database is unreachable or going away (worth a 503 and a retry),
 * not that the statement is wrong: socket errors, a connection the server or a proxy cut,
 * 08xxx (connection exception), 53xxx (insufficient resources), 57P01-57P03 (shutdown, cannot connect now).
 */
export function isPgUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code)) return true;
    if (/^(08|53)/.test(code) || /^57P0[123]$/.test(code)) return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Connection ended/i.test(
    message,
  );
}

/** Wraps a pg failure in the typed error a caller maps to 503 (unreachable) or 500 (anything else). */
export function stateErrorFor(what: string, error: unknown): FlmError {
  if (FlmError.isInstance(error)) return error;
  return isPgUnavailable(error)
    ? new StateStoreUnavailableError(what, error)
    : new StateStoreError(
        `The shared state store failed (${what}): ${(error as Error)?.message ?? String(error)}`,
        {
          cause: error,
        },
      );
}
