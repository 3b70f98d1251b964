import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

/** Why the request went to the cloud. Open-ended: the pipeline may add purposes. */
export type AuditPurpose = "plan" | "repair" | (string & {});

export type AuditDecision = "allowed" | "blocked";

/** The fields a store persists for one egress, before it is placed in the chain. */
export interface AuditRecordFields {
  /** ISO 8601 time (`Date#toISOString()`). */
  at: string;
  host: string;
  model: string;
  purpose: AuditPurpose;
  /** Lowercase hex SHA-256 of the exact outgoing body. */
  bodySha256: string;
  /** The (pseudonymized) body itself, only when the log is configured with `storeBodies: true`. */
  body?: string;
  placeholderCounts: Record<string, number>;
  decision: AuditDecision;
  /** Entity type and step for a block (e.g. "EMAIL from s2"), never a value. */
  reason?: string;
  runId?: string;
  userId?: string;
  /** The replica (gateway process) that appended the record, when several write one chain. */
  replica?: string;
}

/** One record as stored: its fields plus its place in the hash chain. */
export interface AuditRecord extends AuditRecordFields {
  /** 1-based, gapless. */
  seq: number;
  prevHash: string;
  hash: string;
}

/** `prevHash` of record 1. */
export const GENESIS_HASH = "0".repeat(64);

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The exact object that is hashed. Every field is present (absent optionals are `null`) so
 * that "missing" and "stored as NULL" can never hash differently. `replica` (added later) is
 * hashed only when set, so records written before it existed keep their hashes.
 */
export function hashedFields(seq: number, fields: AuditRecordFields): Record<string, unknown> {
  const out: Record<string, unknown> = {
    seq,
    at: fields.at,
    host: fields.host,
    model: fields.model,
    purpose: fields.purpose,
    bodySha256: fields.bodySha256,
    body: fields.body ?? null,
    placeholderCounts: fields.placeholderCounts,
    decision: fields.decision,
    reason: fields.reason ?? null,
    runId: fields.runId ?? null,
    userId: fields.userId ?? null,
  };
  if (fields.replica != null) out.replica = fields.replica;
  return out;
}

/** `hash = sha256(prevHash + canonicalJson(fields incl. seq))`. */
export function computeRecordHash(prevHash: string, seq: number, fields: AuditRecordFields): string {
  return sha256Hex(prevHash + canonicalJson(hashedFields(seq, fields)));
}

/** Places `fields` after the record `prev` (or at the start of the chain). */
export function sealRecord(
  prev: { seq: number; hash: string } | undefined,
  fields: AuditRecordFields,
): AuditRecord {
  const seq = prev ? prev.seq + 1 : 1;
  const prevHash = prev ? prev.hash : GENESIS_HASH;
  return { ...stripUndefined(fields), seq, prevHash, hash: computeRecordHash(prevHash, seq, fields) };
}

function stripUndefined(fields: AuditRecordFields): AuditRecordFields {
  const out: AuditRecordFields = {
    at: fields.at,
    host: fields.host,
    model: fields.model,
    purpose: fields.purpose,
    bodySha256: fields.bodySha256,
    placeholderCounts: fields.placeholderCounts,
    decision: fields.decision,
  };
  if (fields.body != null) out.body = fields.body;
  if (fields.reason != null) out.reason = fields.reason;
  if (fields.runId != null) out.runId = fields.runId;
  if (fields.userId != null) out.userId = fields.userId;
  if (fields.replica != null) out.replica = fields.replica;
  return out;
}

/** Rebuilds a record from a database row (snake_case columns, NULL for absent optionals). */
export function recordFromRow(row: Record<string, unknown>): AuditRecord {
  const rec: AuditRecord = {
    seq: seqOf(row.seq),
    at: String(row.at),
    host: String(row.host),
    model: String(row.model),
    purpose: String(row.purpose),
    bodySha256: String(row.body_sha256),
    placeholderCounts: parseCounts(row.placeholder_counts),
    decision: String(row.decision) as AuditDecision,
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
  if (row.body != null) rec.body = String(row.body);
  if (row.reason != null) rec.reason = String(row.reason);
  if (row.run_id != null) rec.runId = String(row.run_id);
  if (row.user_id != null) rec.userId = String(row.user_id);
  if (row.replica != null) rec.replica = String(row.replica);
  return rec;
}

/** Column values for an INSERT, in `RECORD_COLUMNS` order. */
export function rowValues(rec: AuditRecord): (string | number | null)[] {
  return [
    rec.seq,
    rec.at,
    rec.host,
    rec.model,
    rec.purpose,
    rec.bodySha256,
    rec.body ?? null,
    canonicalJson(rec.placeholderCounts),
    rec.decision,
    rec.reason ?? null,
    rec.runId ?? null,
    rec.userId ?? null,
    rec.prevHash,
    rec.hash,
    rec.replica ?? null,
  ];
}

export const RECORD_COLUMNS = [
  "seq",
  "at",
  "host",
  "model",
  "purpose",
  "body_sha256",
  "body",
  "placeholder_counts",
  "decision",
  "reason",
  "run_id",
  "user_id",
  "prev_hash",
  "hash",
  "replica",
] as const;

/** Definitions of the `audit_records` columns after `seq` (whose type is dialect-specific). */
export const RECORD_COLUMNS_DDL = `
  at TEXT NOT NULL,
  host TEXT NOT NULL,
  model TEXT NOT NULL,
  purpose TEXT NOT NULL,
  body_sha256 TEXT NOT NULL,
  body TEXT,
  placeholder_counts TEXT NOT NULL,
  decision TEXT NOT NULL,
  reason TEXT,
  run_id TEXT,
  user_id TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  replica TEXT`;

/** The INSERT of one record into `table`; `param(n)` writes the dialect's n-th (1-based) placeholder. */
export function insertRecordSql(table: string, param: (n: number) => string): string {
  return `INSERT INTO ${table} (${RECORD_COLUMNS.join(", ")}) VALUES (${RECORD_COLUMNS.map((_, i) => param(i + 1)).join(", ")})`;
}

function parseCounts(value: unknown): Record<string, number> {
  if (value == null) return {};
  // A tampered row may hold anything; the verifier reports it as an edit via the hash.
  try {
    const parsed = typeof value === "string" ? JSON.parse(value) : value;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, number>)
      : {};
  } catch {
    return { __unparseable__: -1 };
  }
}

/**
 * A row's sequence number as stored. Anything that is not a safe integer (text, a fraction, NULL in
 * a table rebuilt without constraints) becomes NaN, which the verifier reports as a foreign row.
 */
function seqOf(value: unknown): number {
  const n =
    typeof value === "bigint" ? Number(value) : typeof value === "number" ? value : Number(value ?? NaN);
  return Number.isSafeInteger(n) && String(value).trim() !== "" ? n : Number.NaN;
}
