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
