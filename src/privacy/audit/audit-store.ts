import type { AuditRecord, AuditRecordFields } from "./audit-record.js";
import type { SignedCheckpoint, StoredCheckpoint } from "./legacy-checkpoint.js";
import type { StoredCosignature, StoredTreeHead, TreeHead } from "./tree-head.js";

export interface ListRecordsOptions {
  /** Only records with `seq > afterSeq` (default: every row, including any with seq ≤ 0). */
  afterSeq?: number;
  /** Only records with `at >= since` (ISO string comparison). */
  since?: string;
  limit?: number;
  /** Newest first (for "show the last N"); default oldest first. */
  newestFirst?: boolean;
}

export interface AppendTreeHeadOptions {
  /**
   * Insert only if no stored tree head has `size > head.size - minGap`: 1 means "only if newer than
   * every stored one", N enforces a cadence of one per N records across every writer.
   */
  minGap: number;
  /** Insert only if no stored tree head was signed less than this many ms before `head.at`. */
  minAgeMs?: number;
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
  /** Every row of the records table, whatever its seq. */
  count(): Promise<number>;
  /** The last record's seq and hash (`size` 0 when empty). */
  head(): Promise<{ size: number; headHash: string | undefined }>;
  /** Chain hashes of records `afterSeq + 1 ..`, at most `limit`, by seq. */
  hashes(afterSeq: number, limit: number): Promise<Array<{ seq: number; hash: string }>>;

  /** Tree heads (C2SP checkpoints), oldest first. */
  listTreeHeads(): Promise<StoredTreeHead[]>;
  latestTreeHead(): Promise<StoredTreeHead | undefined>;
  /** The newest tree head of exactly `size`, if any. */
  treeHeadAt(size: number): Promise<StoredTreeHead | undefined>;
  /** Atomically inserts `head` unless `options` say another writer already covered it. */
  appendTreeHead(head: TreeHead, options: AppendTreeHeadOptions): Promise<StoredTreeHead | undefined>;
  appendCosignature(cosignature: StoredCosignature): Promise<void>;
  listCosignatures(): Promise<StoredCosignature[]>;
  /** The cosignature by this witness key on the largest tree head it co-signed, with that size. */
  latestCosignature(
    witness: string,
    keyId: string,
  ): Promise<(StoredCosignature & { size: number }) | undefined>;

  /** Checkpoints of logs written before tree heads existed (still verified). */
  appendCheckpoint(checkpoint: SignedCheckpoint): Promise<StoredCheckpoint>;
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
