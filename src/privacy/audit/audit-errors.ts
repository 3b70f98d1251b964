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

/**
 * The audit store is locked by another process or unreachable: the egress was not recorded, so it
 * was not sent. An outage, not a privacy decision: retry later (HTTP 503).
 */
export class AuditStoreUnavailableError extends FlmError {
  static override readonly marker: string = "federated-lm.AuditStoreUnavailableError";
  constructor(message: string, options: { cause?: unknown; hint: string }) {
    super("AUDIT_STORE_UNAVAILABLE", message, options);
  }
}

/** A signed note, checkpoint or cosignature is malformed or does not verify. */
export class AuditNoteError extends FlmError {
  static override readonly marker: string = "federated-lm.AuditNoteError";
  constructor(
    message: string,
    hint = "The note was altered, or was not produced by a C2SP signed-note signer.",
  ) {
    super("AUDIT_NOTE_INVALID", message, { hint });
  }
}

/** A witness refused a checkpoint, or could not be reached or understood. */
export class AuditWitnessError extends FlmError {
  static override readonly marker: string = "federated-lm.AuditWitnessError";
  /** HTTP status from the witness, when it answered. */
  readonly status?: number;
  constructor(message: string, options: { status?: number; cause?: unknown; hint: string }) {
    super("AUDIT_WITNESS_FAILED", message, { cause: options.cause, hint: options.hint });
    this.status = options.status;
  }
}

/** A log that should exist does not (deleted file, dropped schema, wrong path). */
export class AuditLogAbsentError extends FlmError {
  static override readonly marker: string = "federated-lm.AuditLogAbsentError";
  constructor(message: string, options: { hint: string; cause?: unknown }) {
    super("AUDIT_LOG_ABSENT", message, options);
  }
}
