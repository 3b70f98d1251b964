import Database from "better-sqlite3";
import { AuditStoreError } from "./audit-errors.js";
import {
  type AuditRecord,
  type AuditRecordFields,
  insertRecordSql,
  RECORD_COLUMNS_DDL,
  recordFromRow,
  rowValues,
  sealRecord,
} from "./audit-record.js";
import { type AuditStore, type ListRecordsOptions, listRecordsQuery } from "./audit-store.js";
import { checkpointFromRow, type SignedCheckpoint, type StoredCheckpoint } from "./checkpoint.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_records (
  seq INTEGER PRIMARY KEY,${RECORD_COLUMNS_DDL}
);
CREATE INDEX IF NOT EXISTS audit_records_at ON audit_records (at);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  id INTEGER PRIMARY KEY,
  size INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  at TEXT NOT NULL,
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_records_no_update BEFORE UPDATE ON audit_records
  BEGIN SELECT RAISE(ABORT, 'audit_records is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_records_no_delete BEFORE DELETE ON audit_records
  BEGIN SELECT RAISE(ABORT, 'audit_records is append-only: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only: DELETE refused'); END;
`;

export interface SqliteAuditStoreOptions {
  /** Milliseconds to wait for another process holding the write lock (default 5000). */
  busyTimeoutMs?: number;
  /**
   * `FULL` (default): a resolved append survives power loss. `NORMAL`: survives a process crash
   * but the last commits may be lost on power loss; several times faster on slow disks.
   */
  synchronous?: "FULL" | "NORMAL";
}

/**
 * The default store: one SQLite file. Appends run in `BEGIN IMMEDIATE` transactions, so several
 * processes sharing the file still produce one linear chain.
 */
export class SqliteAuditStore implements AuditStore {
  readonly kind = "sqlite";
  /** Exposed for tests and tooling; writing through it bypasses nothing: the triggers still apply. */
  readonly db: Database.Database;
  private readonly appendTx: (fields: AuditRecordFields) => AuditRecord;

  constructor(path: string, options: SqliteAuditStoreOptions = {}) {
    try {
      this.db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
      this.db.pragma("journal_mode = WAL");
      // Audit records must survive a power loss once append() has resolved.
      this.db.pragma(`synchronous = ${options.synchronous === "NORMAL" ? "NORMAL" : "FULL"}`);
      this.db.exec(SCHEMA);
    } catch (cause) {
      throw new AuditStoreError(`Could not open the SQLite audit log at ${path}.`, {
        cause,
        hint: "Check that the directory exists and is writable, and that the file is a SQLite database.",
      });
    }
    const headStmt = this.db.prepare("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1");
    const insert = this.db.prepare(insertRecordSql("audit_records", () => "?"));
    const tx = this.db.transaction((fields: AuditRecordFields) => {
      const prev = headStmt.get() as { seq: number; hash: string } | undefined;
      const rec = sealRecord(prev, fields);
      insert.run(...rowValues(rec));
      return rec;
    });
    this.appendTx = (fields) => tx.immediate(fields);
  }

  async append(fields: AuditRecordFields): Promise<AuditRecord> {
    try {
      return this.appendTx(fields);
    } catch (cause) {
      throw new AuditStoreError("Could not append to the SQLite audit log.", {
        cause,
        hint: "Check disk space and that no other process holds the database locked for long.",
      });
    }
  }

  async list(options: ListRecordsOptions = {}): Promise<AuditRecord[]> {
    const { sql, params } = listRecordsQuery("audit_records", options, () => "?");
    const rows = this.db.prepare(sql).all(...params) as Record<string, unknown>[];
    return rows.map(recordFromRow);
  }

  async head(): Promise<{ size: number; headHash: string | undefined }> {
    const row = this.db.prepare("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1").get() as
      | { seq: number; hash: string }
      | undefined;
    return { size: row?.seq ?? 0, headHash: row?.hash };
  }

  async appendCheckpoint(cp: SignedCheckpoint): Promise<StoredCheckpoint> {
    const info = this.db
      .prepare(
        "INSERT INTO audit_checkpoints (size, head_hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?)",
      )
      .run(cp.size, cp.headHash, cp.at, cp.keyId, cp.signature);
    return { ...cp, id: Number(info.lastInsertRowid) };
  }

  async listCheckpoints(): Promise<StoredCheckpoint[]> {
    const rows = this.db.prepare("SELECT * FROM audit_checkpoints ORDER BY id ASC").all() as Record<
      string,
      unknown
    >[];
    return rows.map(checkpointFromRow);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
