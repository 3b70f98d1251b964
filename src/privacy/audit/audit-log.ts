import type { KeyObject } from "node:crypto";
import { hostname } from "node:os";
import { AuditConfigError, AuditKeyError } from "./audit-errors.js";
import { toPublicKey } from "./audit-key.js";
import {
  type AuditDecision,
  type AuditPurpose,
  type AuditRecord,
  type AuditRecordFields,
  sha256Hex,
} from "./audit-record.js";
import type { AppendTreeHeadOptions, AuditStore } from "./audit-store.js";
import { currentFrontier } from "./store-tree.js";
import { type StoredTreeHead, TreeHeadSigner } from "./tree-head.js";
import { type AuditReport, verifyAudit } from "./verify-audit.js";
import type { WitnessConfig, WitnessStatus } from "./witness/witness-submitter.js";
import { WitnessSubmitter } from "./witness/witness-submitter.js";

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
  /** Sign a checkpoint once this many records were appended since the last one (by any writer). */
  records?: number;
  /** Sign a checkpoint every this many milliseconds (if records were appended). */
  ms?: number;
}

export interface AuditLogOptions {
  /** Ed25519 private key for checkpoints (see `generateAuditKey`). Required for `checkpoint()`. */
  privateKey?: KeyObject;
  /**
   * The log's identity in its checkpoints (the C2SP origin line and note key name), e.g.
   * `example.com/flm-audit`. Default: derived from the key (`flm-audit/<16 hex>`).
   */
  origin?: string;
  /** Recorded in every record and checkpoint this process writes (default `<hostname>/<pid>`). */
  replicaId?: string;
  /** Store the pseudonymized request body in each record (default false: only its SHA-256). */
  storeBodies?: boolean;
  /** Periodic checkpoints: a record count, or `{ records, ms }`; shared by every writer of the log. */
  checkpointEvery?: number | CheckpointSchedule;
  /** Witnesses that co-sign each checkpoint (C2SP tlog-witness), contacted in the background. */
  witnesses?: WitnessConfig[];
  /** For witness requests (tests); default the global fetch. */
  fetch?: typeof fetch;
  /** Called when a background checkpoint or witness submission fails (default: a process warning). */
  onError?: (error: unknown) => void;
  /** How long `close()` waits for witnesses to answer (default 3000 ms). */
  closeGraceMs?: number;
}

export interface ShowOptions {
  /** The newest `limit` records (default 50), returned oldest first. */
  limit?: number;
  /** Only records at or after this time. */
  since?: Date | string;
}

type Trigger = "records" | "timer" | "close" | "explicit";

/**
 * The audit log: appends hash-chained records to a store, signs C2SP checkpoints (tree heads) on a
 * cadence shared by every writer of the store, and has witnesses co-sign them in the background.
 */
export class AuditLog {
  readonly store: AuditStore;
  readonly storeBodies: boolean;
  readonly replicaId: string;
  private readonly signer?: TreeHeadSigner;
  private readonly privateKey?: KeyObject;
  private readonly everyRecords?: number;
  private readonly everyMs?: number;
  private readonly witnesses?: WitnessSubmitter;
  private timer?: NodeJS.Timeout;
  /** The largest tree head size this process knows of (only grows; refreshed from the store). */
  private knownSize = 0;
  /** Serialises checkpoints so an append-triggered and a timer-triggered one never interleave. */
  private checkpointChain: Promise<unknown> = Promise.resolve();
  private pending = new Set<Promise<unknown>>();
  private closed = false;
  /** Appended since this log was opened: a short-lived process still leaves its records signed. */
  private appended = false;
  private readonly onError: (error: unknown) => void;
  private readonly appendListeners = new Set<(record: AuditRecord) => void>();
  private readonly closeGraceMs: number;

  constructor(store: AuditStore, options: AuditLogOptions = {}) {
    this.store = store;
    this.storeBodies = options.storeBodies ?? false;
    this.privateKey = options.privateKey;
    this.replicaId = options.replicaId ?? `${hostname()}/${process.pid}`;
    this.closeGraceMs = options.closeGraceMs ?? 3000;
    this.onError =
      options.onError ?? ((e) => process.emitWarning(`flm audit: background checkpoint failed: ${e}`));
    const schedule =
      typeof options.checkpointEvery === "number"
        ? { records: options.checkpointEvery }
        : options.checkpointEvery;
    if ((schedule || options.witnesses?.length) && !this.privateKey) {
      throw new AuditKeyError(
        "missing",
        "Audit checkpoints or witnesses are configured but no signing key is.",
        {
          hint: "Set keyPath to an Ed25519 private key (create one with generateAuditKey(path)), or drop checkpointEvery and witnesses.",
        },
      );
    }
    for (const [name, v] of Object.entries(schedule ?? {})) {
      if (v !== undefined && !(Number.isInteger(v) && v > 0)) {
        throw new AuditConfigError(
          `checkpointEvery.${name} must be a positive integer, got ${JSON.stringify(v)}.`,
          "Use e.g. checkpointEvery: { records: 1000, ms: 60000 }.",
        );
      }
    }
    if (this.privateKey) this.signer = new TreeHeadSigner(this.privateKey, options.origin);
    if (options.witnesses?.length) {
      this.witnesses = new WitnessSubmitter(store, options.witnesses, {
        fetch: options.fetch,
        onError: (e) => this.onError(e),
      });
    }
    this.everyRecords = schedule?.records;
    this.everyMs = schedule?.ms;
    if (schedule?.ms) {
      this.timer = setInterval(() => this.background(this.signHead("timer")), schedule.ms);
      // Never keep a process alive just to sign checkpoints.
      this.timer.unref();
    }
    // A process that starts (or restarts) sends the newest checkpoint to witnesses that missed it.
    if (this.witnesses) this.witnesses.notify();
  }

  /** The log's identity in its checkpoints (C2SP origin), when it has a signing key. */
  get origin(): string | undefined {
    return this.signer?.origin;
  }

  /** The log's verifier key for witnesses and auditors (`<origin>+<key ID>+<key>`). */
  get vkey(): string | undefined {
    return this.signer?.vkey;
  }

  /**
   * Appends one egress record and returns it (with its seq and hash). Checkpoints and witness
   * submissions it triggers run in the background: they never delay or fail the append.
   */
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
    if (this.everyRecords && rec.seq - this.knownSize >= this.everyRecords) {
      this.background(this.signHead("records"));
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

  /**
   * Signs and stores a checkpoint of the current head (or returns the newest one if it already
   * covers the head), and sends it to the witnesses without waiting for them.
   */
  async checkpoint(): Promise<StoredTreeHead> {
    const head = await this.signHead("explicit");
    if (head) return head;
    const latest = await this.store.latestTreeHead();
    if (!latest)
      throw new AuditConfigError("The audit log is empty: there is nothing to checkpoint.", "Append first.");
    return latest;
  }

  /** Waits for background checkpoints and one round of witness submissions. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.checkpointChain;
    await this.witnesses?.flush();
  }

  /** Each configured witness: the size it last co-signed and its last error. */
  witnessStatus(): WitnessStatus[] {
    return this.witnesses?.status() ?? [];
  }

  private background(p: Promise<unknown>): void {
    const tracked = p.catch(this.onError).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Runs in the checkpoint queue; returns the stored tree head, or undefined when none was due. */
  private signHead(trigger: Trigger): Promise<StoredTreeHead | undefined> {
    const signer = this.signer;
    if (!signer) {
      return Promise.reject(
        new AuditKeyError("missing", "Cannot sign an audit checkpoint: no signing key is configured.", {
          hint: "Pass keyPath (an Ed25519 private key from generateAuditKey(path)) when opening the audit log.",
        }),
      );
    }
    const run = this.checkpointChain.then(async () => {
      const { frontier, latest } = await currentFrontier(this.store);
      this.knownSize = Math.max(this.knownSize, latest?.size ?? 0);
      const grown = frontier.size - (latest?.size ?? 0);
      if (frontier.size === 0 || grown <= 0) return undefined;
      const options: AppendTreeHeadOptions = { minGap: 1 };
      if (trigger === "records") {
        // Another writer may have signed one meanwhile: the cadence is per log, not per process.
        if (grown < this.everyRecords!) return undefined;
        options.minGap = this.everyRecords!;
      } else if (trigger === "timer" && this.everyMs) {
        options.minAgeMs = this.everyMs;
      }
      const stored = await this.store.appendTreeHead(signer.sign(frontier, this.replicaId), options);
      if (stored) {
        this.knownSize = Math.max(this.knownSize, stored.size);
        this.witnesses?.notify();
      }
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
    return verifyAudit(this.store, { publicKey: toPublicKey(key), origin: this.signer?.origin });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    // Sign what this process appended (a CLI run appends a record or two, then exits).
    if (this.signer && this.appended) await this.signHead("close").catch(this.onError);
    // Witnesses get a short grace period: a slow or unreachable one must not hold up shutdown
    // (the next process that opens the log sends them the newest checkpoint again).
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => {
      timer = setTimeout(r, this.closeGraceMs);
    });
    await Promise.race([this.settled().catch(this.onError), grace]);
    clearTimeout(timer);
    this.witnesses?.close();
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
    fields.replica = this.replicaId;
    return fields;
  }
}
