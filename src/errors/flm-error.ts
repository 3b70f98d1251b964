/**
 * Base of every error flm throws. `code` is stable and documented (src/errors/codes.ts maps each
 * to its HTTP status and CLI exit code); match on it, or use `XError.isInstance(e)`, rather than
 * on messages, which may improve over time.
 */
const BASE = Symbol.for("federated-lm.error");
const MARKS = Symbol.for("federated-lm.error.marks");

export interface FlmErrorOptions {
  cause?: unknown;
  /** What the user can do about it; appended to the message. */
  hint?: string;
}

type FlmErrorClass<T extends FlmError> = (abstract new (...args: never[]) => T) & { readonly marker: string };

export class FlmError extends Error {
  /**
   * The class's identity across package copies. Every subclass declares its own
   * (`static override readonly marker: string = "federated-lm.DocumentError"`), so `DocumentError.isInstance`
   * is true for a DocumentError (or a subclass of it) and false for a plain FlmError.
   */
  static readonly marker: string = "federated-lm.FlmError";

  readonly [BASE] = true;
  /** The markers of this error's class and its ancestors. */
  readonly [MARKS]: readonly string[];
  readonly code: string;
  readonly hint?: string;

  constructor(code: string, message: string, options: FlmErrorOptions = {}) {
    super(options.hint ? `${message} ${options.hint}` : message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    const marks: string[] = [];
    for (let c: unknown = new.target; typeof c === "function" && c !== Error; c = Object.getPrototypeOf(c)) {
      const own = Object.getOwnPropertyDescriptor(c, "marker")?.value;
      if (typeof own === "string") marks.push(own);
    }
    this[MARKS] = marks;
  }

  /**
   * True when `error` is an instance of the class this is called on (or a subclass), also across
   * package copies (no reliance on `instanceof` of one module instance).
   */
  static isInstance<T extends FlmError>(this: FlmErrorClass<T>, error: unknown): error is T {
    if (typeof error !== "object" || error === null || (error as Record<symbol, unknown>)[BASE] !== true)
      return false;
    // biome-ignore lint/complexity/noThisInStatic: polymorphic on purpose: `DocumentError.isInstance` checks DocumentError's marker.
    // biome-ignore lint/complexity/noUselessThisAlias: names the class once, for the checks below.
    const cls: FlmErrorClass<T> = this;
    if (!Object.hasOwn(cls, "marker"))
      throw new TypeError(`${cls.name} must declare its own static marker to support isInstance.`);
    const marks = (error as Record<symbol, unknown>)[MARKS];
    return Array.isArray(marks) && marks.includes(cls.marker);
  }

  toJSON(): { name: string; code: string; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** Narrowing helper: `isFlmError(e, "PLAN_INVALID")`. */
export function isFlmError(error: unknown, code?: string): error is FlmError {
  return FlmError.isInstance(error) && (code === undefined || error.code === code);
}
