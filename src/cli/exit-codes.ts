import { isConfigError } from "../config/config-error.js";
import { FlmError } from "../errors/flm-error.js";

/** Documented exit codes: scripts can tell a bad invocation from a bad config from a failed run. */
export const EXIT = { ok: 0, runtime: 1, usage: 2, config: 3 } as const;

/** A bad invocation (missing argument, conflicting flags): exit 2. */
export class UsageError extends FlmError {
  constructor(message: string, hint?: string) {
    super("USAGE", message, { hint });
  }
}

export function exitCodeFor(error: unknown): number {
  if (FlmError.isInstance(error) && error.code === "USAGE") return EXIT.usage;
  if (isConfigError(error)) return EXIT.config;
  return EXIT.runtime;
}
