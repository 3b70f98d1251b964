import { FlmError } from "../../errors/flm-error.js";

/** A value handed to the canonical encoder is not plain JSON. */
export class AuditEncodingError extends FlmError {
  static override readonly marker: string = "federated-lm.AuditEncodingError";
  constructor(path: string, what: string) {
    super("AUDIT_ENCODING_INVALID", `Cannot canonically encode ${what} at ${path}.`, {
      hint: "Audit records may contain only strings, finite numbers, booleans, null, arrays and plain objects.",
    });
  }
}

/** An audit entry or option is malformed (missing host, unknown decision, bad schema name...). */
export class AuditConfigError extends FlmError {
  static override readonly marker: string = "federated-lm.AuditConfigError";
  constructor(message: string, hint: string) {
    super("AUDIT_CONFIG_INVALID", message, { hint });
  }
}

export type AuditKeyProblem = "missing" | "unreadable" | "invalid" | "exists";

const keyCodes: Record<AuditKeyProblem, string> = {
  missing: "AUDIT_KEY_MISSING",
  unreadable: "AUDIT_KEY_UNREADABLE",
  invalid: "AUDIT_KEY_INVALID",
  exists: "AUDIT_KEY_EXISTS",
};

/** The Ed25519 checkpoint key is not configured, not there, not readable or not an Ed25519 key. */
export class AuditKeyError extends FlmError {
  static override readonly marker: string = "federated-lm.AuditKeyError";
  readonly problem: AuditKeyProblem;
  readonly path?: string;
  constructor(
    problem: AuditKeyProblem,
    message: string,
    options: { path?: string; hint: string; cause?: unknown },
  ) {
    super(keyCodes[problem], message, { hint: options.hint, cause: options.cause });
    this.problem = problem;
    this.path = options.path;
  }
}

/** The database refused or failed an audit operation. */
export class AuditStoreError extends FlmError {
  static override readonly marker: string = "federated-lm.AuditStoreError";
  constructor(message: string, options: { cause?: unknown; hint: string }) {
    super("AUDIT_STORE_FAILED", message, options);
  }
}
