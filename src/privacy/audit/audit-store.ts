import type { AuditRecord, AuditRecordFields } from "./audit-record.js";
import type { SignedCheckpoint, StoredCheckpoint } from "./checkpoint.js";

export interface ListRecordsOptions {
  /** Only records with `seq > afterSeq`. */
  afterSeq?: number;
  /** Only records with `at >= since` (ISO string comparison). */
  since?: string;
  limit?: number;
  /** Newest first (for "show the last N"); default oldest first. */
  newestFirst?: boolean;
}

/**
 * Append-only persistence of the audit chain. Implementations assign `seq`/`prevHash`/`hash`
 * inside one serialised transaction (so concurrent writers, even in other processes, never
 * fork the chain) and install triggers that refuse UPDATE and DELETE.
 */
export interface AuditStore {
  readonly kind: string;
  /** Seals `fields` after the current head and persists it atomically. */
  append(fields: AuditRecordFields): Promise<AuditRecord>;
  /** Records ordered by `seq`. */
  list(options?: ListRecordsOptions): Promise<AuditRecord[]>;
  /** The last record's seq and hash (`size` 0 when empty). */
  head(): Promise<{ size: number; headHash: string | undefined }>;
  appendCheckpoint(checkpoint: SignedCheckpoint): Promise<StoredCheckpoint>;
  /** All checkpoints, oldest first. */
  listCheckpoints(): Promise<StoredCheckpoint[]>;
  close(): Promise<void>;
}

/**
 * The SELECT behind `AuditStore.list` over `table`; `param(n)` writes the dialect's n-th (1-based)
 * placeholder for `params[n - 1]`.
 */
export function listRecordsQuery(
  table: string,
  options: ListRecordsOptions,
  param: (n: number) => string,
): { sql: string; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (options.afterSeq !== undefined) {
    params.push(options.afterSeq);
    where.push(`seq > ${param(params.length)}`);
  }
  if (options.since !== undefined) {
    params.push(options.since);
    where.push(`at >= ${param(params.length)}`);
  }
  let sql = `SELECT * FROM ${table}${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`;
  sql += ` ORDER BY seq ${options.newestFirst ? "DESC" : "ASC"}`;
  if (options.limit !== undefined) {
    params.push(options.limit);
    sql += ` LIMIT ${param(params.length)}`;
  }
  return { sql, params };
}
