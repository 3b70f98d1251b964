import { FlmError } from "../errors/flm-error.js";

/** The trace store could not be opened, read or written. */
export class TraceStoreError extends FlmError {
  constructor(message: string, options: { cause?: unknown; hint: string }) {
    super("TRACE_STORE_FAILED", message, options);
  }
}

/** A runs query is malformed (bad cursor, bad date, unknown status). */
export class TraceQueryError extends FlmError {
  constructor(message: string, hint: string) {
    super("TRACE_QUERY_INVALID", message, { hint });
  }
}

/** Trace store options are invalid (schema name, limits). */
export class TraceConfigError extends FlmError {
  constructor(message: string, hint: string) {
    super("TRACE_CONFIG_INVALID", message, { hint });
  }
}
