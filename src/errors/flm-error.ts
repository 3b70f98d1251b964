/**
 * Base of every error flm throws. `code` is stable and documented; match on it (or use
 * `isInstance`) rather than on messages, which may improve over time.
 */
const marker = Symbol.for("federated-lm.error");

export interface FlmErrorOptions {
  cause?: unknown;
  /** What the user can do about it; appended to the message. */
  hint?: string;
}

export class FlmError extends Error {
  readonly [marker] = true;
  readonly code: string;
  readonly hint?: string;

  constructor(code: string, message: string, options: FlmErrorOptions = {}) {
    super(options.hint ? `${message} ${options.hint}` : message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }

  /** Works across package copies (no reliance on `instanceof` of one module instance). */
  static isInstance(error: unknown): error is FlmError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  toJSON(): { name: string; code: string; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** Narrowing helper for subclasses: `isFlmError(e, "PLAN_INVALID")`. */
export function isFlmError(error: unknown, code?: string): error is FlmError {
  return FlmError.isInstance(error) && (code === undefined || error.code === code);
}
