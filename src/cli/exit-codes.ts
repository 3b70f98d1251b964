import { EXIT, exitCodeOf } from "../errors/codes.js";
import { FlmError } from "../errors/flm-error.js";

/** Documented exit codes (src/errors/codes.ts): a bad invocation, a bad config, a failed run. */
export { EXIT };

/** A bad invocation (missing argument, conflicting flags): exit 2. */
export class UsageError extends FlmError {
  static override readonly marker: string = "federated-lm.UsageError";
  constructor(message: string, hint?: string) {
    super("USAGE", message, { hint });
  }
}

export function exitCodeFor(error: unknown): number {
  return FlmError.isInstance(error) ? exitCodeOf(error.code) : EXIT.runtime;
}
