import { FlmError } from "../errors/flm-error.js";

/** The trace store could not be opened, read or written. */
export class TraceStoreError extends FlmError {
  static override readonly marker: string = "federated-lm.TraceStoreError";
  constructor(message: string, options: { cause?: unknown; hint: string }) {
    super("TRACE_STORE_FAILED", message, options);
  }
}

/** A runs query is malformed (bad cursor, bad date, unknown status). */
export class TraceQueryError extends FlmError {
  static override readonly marker: string = "federated-lm.TraceQueryError";
  constructor(message: string, hint: string) {
    super("TRACE_QUERY_INVALID", message, { hint });
  }
}

/** Trace store options are invalid (schema name, limits). */
export class TraceConfigError extends FlmError {
  static override readonly marker: string = "federated-lm.TraceConfigError";
  constructor(message: string, hint: string) {
    super("TRACE_CONFIG_INVALID", message, { hint });
  }
}
