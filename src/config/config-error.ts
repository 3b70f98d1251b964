import { EXIT, exitCodeOf } from "../errors/codes.js";
import { FlmError } from "../errors/flm-error.js";

export type ConfigErrorCode =
  | "CONFIG_INVALID"
  | "CONFIG_NOT_FOUND"
  | "CONFIG_ENV_MISSING"
  | "CONFIG_ENV_SYNTAX"
  | "GENERATOR_UNTRUSTED";

/** One problem in a configuration file, located by its key path (`tools[1].queries[0].sql`). */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** A configuration that cannot be used. The CLI maps it to exit code 3. */
export class ConfigError extends FlmError {
  static override readonly marker: string = "federated-lm.ConfigError";
  readonly issues: ConfigIssue[];

  constructor(
    code: ConfigErrorCode,
    message: string,
    options: { issues?: ConfigIssue[]; hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, { hint: options.hint, cause: options.cause });
    this.issues = options.issues ?? [];
  }
}

/** True for errors that mean "fix the configuration" rather than "something failed at run time". */
export function isConfigError(error: unknown): error is FlmError {
  return FlmError.isInstance(error) && exitCodeOf(error.code) === EXIT.config;
}
