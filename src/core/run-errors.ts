import { FlmError } from "../errors/flm-error.js";

/** The caller (or the gateway: client gone, timeout, shutdown) aborted the run. */
export class RunCancelledError extends FlmError {
  static override readonly marker: string = "federated-lm.RunCancelledError";
  constructor(reason?: unknown) {
    super("RUN_CANCELLED", "The run was cancelled.", { cause: reason });
  }
}

/** The local answer model failed before or while streaming (or while reading large results). */
export class GeneratorError extends FlmError {
  static override readonly marker: string = "federated-lm.GeneratorError";
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super("GENERATOR_FAILED", message, options);
  }
}

/** Typed errors pass through; a cancelled run says so; anything else is the local model failing. */
export function localModelError(error: unknown, signal: AbortSignal, when = ""): FlmError {
  if (FlmError.isInstance(error)) return error;
  if (signal.aborted) return new RunCancelledError(signal.reason);
  return new GeneratorError(
    `The local model failed${when ? ` ${when}` : ""}: ${(error as Error)?.message ?? String(error)}`,
    {
      cause: error,
      hint: "Check that the local model server is running and the model is loaded.",
    },
  );
}
