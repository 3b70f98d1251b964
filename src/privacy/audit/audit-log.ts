import type { KeyObject } from "node:crypto";
import { AuditConfigError, AuditKeyError } from "./audit-errors.js";
import {
  type AuditDecision,
  type AuditPurpose,
  type AuditRecord,
  type AuditRecordFields,
  sha256Hex,
} from "./audit-record.js";
import type { AuditStore } from "./audit-store.js";
import { type StoredCheckpoint, signCheckpoint } from "./checkpoint.js";
import { toPublicKey } from "./audit-key.js";
import { type AuditReport, verifyAudit } from "./verify-audit.js";

/** One cloud egress, as the egress guard reports it. */
export interface AuditEntry {
  host: string;
  model: string;
  purpose: AuditPurpose;
  /** The exact outgoing body; hashed, and stored only with `storeBodies: true`. */
  body?: string | Uint8Array;
  /** Hex SHA-256 of the body, when the caller has already hashed it and passes no body. */
  bodySha256?: string;
  placeholderCounts?: Record<string, number>;
  decision: AuditDecision;
  /** Entity type and step for a block (never a value). */
  reason?: string;
  runId?: string;
  userId?: string;
  /** Defaults to now. */
  at?: Date;
}

export interface CheckpointSchedule {
  /** Sign a checkpoint once this many records were appended since the last one. */
  records?: number;
  /** Sign a checkpoint every this many milliseconds (if records were appended). */
  ms?: number;
}

export interface AuditLogOptions {
  /** Ed25519 private key for checkpoints (see `generateAuditKey`). Required for `checkpoint()`. */
  privateKey?: KeyObject;
  /** Store the pseudonymized request body in each record (default false: only its SHA-256). */
  storeBodies?: boolean;
  /** Periodic checkpoints: a record count, or `{ records, ms }`. */
  checkpointEvery?: number | CheckpointSchedule;
  /** Called when a timer-driven checkpoint fails (default: a process warning). */
  onError?: (error: unknown) => void;
}

export interface ShowOptions {
  /** The newest `limit` records (default 50), returned oldest first. */
  limit?: number;
  /** Only records at or after this time. */
  since?: Date | string;
}

/** The audit log: appends hash-chained records to a store and signs checkpoints. */
export class AuditLog {
  readonly store: AuditStore;
  readonly storeBodies: boolean;
  private readonly privateKey?: KeyObject;
  private readonly everyRecords?: number;
  private timer?: NodeJS.Timeout;
  private lastCheckpointSize = -1;
  /** Serialises checkpoints so an append-triggered and a timer-triggered one never interleave. */
  private checkpointChain: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Appended since this log was opened: a short-lived process still leaves its records signed. */
  private appended = false;
  private readonly onError: (error: unknown) => void;
  private readonly appendListeners = new Set<(record: AuditRecord) => void>();

  constructor(store: AuditStore, options: AuditLogOptions = {}) {
    this.store = store;
    this.storeBodies = options.storeBodies ?? false;
    this.privateKey = options.privateKey;
    this.onError =
      options.onError ?? ((e) => process.emitWarning(`flm audit: periodic checkpoint failed: ${e}`));
    const schedule =
      typeof options.checkpointEvery === "number"
        ? { records: options.checkpointEvery }
        : options.checkpointEvery;
    if (schedule && !this.privateKey) {
      throw new AuditKeyError("missing", "Periodic audit checkpoints are configured but no signing key is.", {
        hint: "Set keyPath to an Ed25519 private key (create one with generateAuditKey(path)), or drop checkpointEvery.",
      });
    }
    for (const [name, v] of Object.entries(schedule ?? {})) {
      if (v !== undefined && !(Number.isInteger(v) && v > 0)) {
        throw new AuditConfigError(
          `checkpointEvery.${name} must be a positive integer, got ${JSON.stringify(v)}.`,
          "Use e.g. checkpointEvery: { records: 1000, ms: 60000 }.",
        );
      }
    }
    this.everyRecords = schedule?.records;
    if (schedule?.ms) {
      this.timer = setInterval(() => void this.signHead(true).catch(this.onError), schedule.ms);
      // Never keep a process alive just to sign checkpoints.
      this.timer.unref();
    }
  }

  /** Appends one egress record and returns it (with its seq and hash). */
  async append(entry: AuditEntry): Promise<AuditRecord> {
    const rec = await this.store.append(this.toFields(entry));
    this.appended = true;
    for (const listener of this.appendListeners) {
      try {
        listener(rec);
      } catch (error) {
        process.emitWarning(`flm audit: an append listener failed: ${error}`);
      }
    }
    if (this.everyRecords && rec.seq - Math.max(this.lastCheckpointSize, 0) >= this.everyRecords) {
      await this.signHead(true);
    }
    return rec;
  }

  /** Calls `listener` after each append (e.g. to count appends in metrics); returns its removal. */
  onAppend(listener: (record: AuditRecord) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /** The newest records (oldest first). */
  async show(options: ShowOptions = {}): Promise<AuditRecord[]> {
    const since = options.since instanceof Date ? options.since.toISOString() : options.since;
    const rows = await this.store.list({ since, limit: options.limit ?? 50, newestFirst: true });
    return rows.reverse();
  }

  /** Signs and stores a checkpoint of the current head. */
  async checkpoint(): Promise<StoredCheckpoint> {
    return (await this.signHead(false))!;
  }

  /** Runs in the checkpoint queue; with `onlyIfGrown`, skips when nothing was appended since the last one. */
  private signHead(onlyIfGrown: boolean): Promise<StoredCheckpoint | undefined> {
    const key = this.privateKey;
    if (!key) {
      return Promise.reject(
        new AuditKeyError("missing", "Cannot sign an audit checkpoint: no signing key is configured.", {
          hint: "Pass keyPath (an Ed25519 private key from generateAuditKey(path)) when opening the audit log.",
        }),
      );
    }
    const run = this.checkpointChain.then(async () => {
      const { size, headHash } = await this.store.head();
      if (onlyIfGrown && (size === 0 || size <= this.lastCheckpointSize)) return undefined;
      const cp = signCheckpoint({ size, headHash: headHash ?? "", at: new Date().toISOString() }, key);
      const stored = await this.store.appendCheckpoint(cp);
      this.lastCheckpointSize = Math.max(this.lastCheckpointSize, size);
      return stored;
    });
    this.checkpointChain = run.catch(() => {});
    return run;
  }

  /** Verifies the log with the public half of the configured key, or with `publicKey`. */
  async verify(publicKey?: KeyObject | string | Buffer): Promise<AuditReport> {
    const key = publicKey ?? this.privateKey;
    if (!key) {
      throw new AuditKeyError("missing", "Cannot verify the audit log without its public key.", {
        hint: "Pass the .pub file written by generateAuditKey(), or open the log with keyPath.",
      });
    }
    return verifyAudit(this.store, { publicKey: toPublicKey(key) });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    // Sign what this process appended (a CLI run appends a record or two, then exits).
    if (this.privateKey && this.appended) await this.signHead(true).catch(this.onError);
    await this.checkpointChain;
    await this.store.close();
  }

  private toFields(entry: AuditEntry): AuditRecordFields {
    for (const name of ["host", "model", "purpose"] as const) {
      if (typeof entry[name] !== "string" || entry[name] === "") {
        throw new AuditConfigError(
          `Audit entry field "${name}" must be a non-empty string.`,
          "Pass host, model and purpose.",
        );
      }
    }
    if (entry.decision !== "allowed" && entry.decision !== "blocked") {
      throw new AuditConfigError(
        `Audit entry decision must be "allowed" or "blocked", got ${JSON.stringify(entry.decision)}.`,
        "Record the guard's decision exactly.",
      );
    }
    let bodySha256 = entry.bodySha256;
    if (entry.body !== undefined) {
      const computed = sha256Hex(entry.body);
      if (bodySha256 !== undefined && bodySha256 !== computed) {
        throw new AuditConfigError(
          "Audit entry bodySha256 does not match its body.",
          "Pass either body or bodySha256.",
        );
      }
      bodySha256 = computed;
    }
    if (!bodySha256 || !/^[0-9a-f]{64}$/.test(bodySha256)) {
      throw new AuditConfigError(
        "Audit entry needs the request body or its lowercase hex SHA-256.",
        "Pass body (the exact bytes sent) or bodySha256.",
      );
    }
    const counts: Record<string, number> = {};
    for (const [type, n] of Object.entries(entry.placeholderCounts ?? {})) {
      if (!Number.isInteger(n) || n < 0) {
        throw new AuditConfigError(
          `placeholderCounts.${type} must be a non-negative integer.`,
          "Count placeholders per type.",
        );
      }
      counts[type] = n;
    }
    const fields: AuditRecordFields = {
      at: (entry.at ?? new Date()).toISOString(),
      host: entry.host,
      model: entry.model,
      purpose: entry.purpose,
      bodySha256,
      placeholderCounts: counts,
      decision: entry.decision,
    };
    if (this.storeBodies && entry.body !== undefined) {
      fields.body = typeof entry.body === "string" ? entry.body : Buffer.from(entry.body).toString("utf8");
    }
    if (entry.reason !== undefined) fields.reason = entry.reason;
    if (entry.runId !== undefined) fields.runId = entry.runId;
    if (entry.userId !== undefined) fields.userId = entry.userId;
    return fields;
  }
}
