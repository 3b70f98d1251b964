import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { AuditLogAbsentError, AuditStoreError, AuditStoreUnavailableError } from "./audit-errors.js";
import {
  type AuditRecord,
  type AuditRecordFields,
  insertRecordSql,
  RECORD_COLUMNS_DDL,
  recordFromRow,
  rowValues,
  sealRecord,
} from "./audit-record.js";
import {
  type AuditTables,
  conditionalTreeHeadInsert,
  cosignatureFromRow,
  cosignatureInsert,
  latestCosignatureQuery,
  treeHeadFromRow,
  treeHeadIndexesDdl,
  treeHeadTablesDdl,
} from "./audit-sql.js";
import {
  type AppendTreeHeadOptions,
  type AuditStore,
  type ListRecordsOptions,
  listRecordsQuery,
} from "./audit-store.js";
import { checkpointFromRow, type SignedCheckpoint, type StoredCheckpoint } from "./legacy-checkpoint.js";
import type { StoredCosignature, StoredTreeHead, TreeHead } from "./tree-head.js";

const T: AuditTables = {
  records: "audit_records",
  checkpoints: "audit_checkpoints",
  treeHeads: "audit_tree_heads",
  cosignatures: "audit_cosignatures",
};
const APPEND_ONLY = ["audit_records", "audit_checkpoints", "audit_tree_heads", "audit_cosignatures"];

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
${treeHeadTablesDdl(T, "INTEGER PRIMARY KEY", "INTEGER")}
${treeHeadIndexesDdl(T)}
${APPEND_ONLY.map(
  (t) => `
CREATE TRIGGER IF NOT EXISTS ${t}_no_update BEFORE UPDATE ON ${t}
  BEGIN SELECT RAISE(ABORT, '${t} is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS ${t}_no_delete BEFORE DELETE ON ${t}
  BEGIN SELECT RAISE(ABORT, '${t} is append-only: DELETE refused'); END;`,
).join("")}
`;

export interface SqliteAuditStoreOptions {
  /**
   * How long an operation may wait, in total, for another process holding the database locked
   * (default 5000 ms). The wait is asynchronous (short retries), never a blocking busy wait, so
   * the event loop stays free; after it, the operation fails with AUDIT_STORE_UNAVAILABLE.
   */
  busyTimeoutMs?: number;
  /**
   * `FULL` (default): a resolved append survives power loss. `NORMAL`: survives a process crash
   * but the last commits may be lost on power loss; several times faster on slow disks.
   */
  synchronous?: "FULL" | "NORMAL";
  /**
   * Open an existing log for reading only (verification, `flm audit show`): nothing is created or
   * migrated, and a missing file is an AUDIT_LOG_ABSENT error.
   */
  readonly?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

/**
 * The default store: one SQLite file. Appends run in `BEGIN IMMEDIATE` transactions, so several
 * processes sharing the file still produce one linear chain. better-sqlite3 runs with a zero busy
 * timeout: a lock held elsewhere makes an operation retry asynchronously instead of freezing the
 * process for the whole wait.
 */
export class SqliteAuditStore implements AuditStore {
  readonly kind = "sqlite";
  readonly path: string;
  /** Exposed for tests and tooling; writing through it bypasses nothing: the triggers still apply. */
  readonly db: Database.Database;
  private readonly busyTimeoutMs: number;
  private readonly tables = new Set<string>();
  private appendTx?: (fields: AuditRecordFields) => AuditRecord;

  constructor(path: string, options: SqliteAuditStoreOptions = {}) {
    this.path = path;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    if (options.readonly && !existsSync(path)) {
      throw new AuditLogAbsentError(`There is no audit log at ${path}.`, {
        hint: "Check audit.path; if the log was deleted, restore it from a backup (a witness can tell whether the restored copy is complete).",
      });
    }
    try {
      this.db = new Database(path, {
        readonly: options.readonly ?? false,
        fileMustExist: options.readonly ?? false,
      });
      // Opening and migrating may wait for a lock once, at startup; every later operation does not.
      this.db.pragma("busy_timeout = 2000");
      if (!options.readonly) {
        this.db.pragma("journal_mode = WAL");
        // Audit records must survive a power loss once append() has resolved.
        this.db.pragma(`synchronous = ${options.synchronous === "NORMAL" ? "NORMAL" : "FULL"}`);
        this.migrate();
      }
      this.db.pragma("busy_timeout = 0");
      for (const row of this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()) {
        this.tables.add(String((row as { name: string }).name));
      }
    } catch (cause) {
      throw new AuditStoreError(`Could not open the SQLite audit log at ${path}.`, {
        cause,
        hint: "Check that the directory exists and is writable, and that the file is a SQLite database.",
      });
    }
  }

  private migrate(): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS audit_records (seq INTEGER PRIMARY KEY,${RECORD_COLUMNS_DDL});`);
    // Logs written before replicas were recorded gain the (nullable) column.
    const cols = this.db.prepare("PRAGMA table_info(audit_records)").all() as { name: string }[];
    if (!cols.some((c) => c.name === "replica"))
      this.db.exec("ALTER TABLE audit_records ADD COLUMN replica TEXT");
    this.db.exec(SCHEMA);
  }

  /** Runs a synchronous database step, retrying asynchronously while another process holds the lock. */
  private async retry<T>(what: string, fn: () => T): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let delay = 1; ; delay = Math.min(delay * 2, 25)) {
      try {
        return fn();
      } catch (cause) {
        if (!isBusy(cause)) {
          throw new AuditStoreError(`Could not ${what} the SQLite audit log.`, {
            cause,
            hint: "Check disk space and the file's permissions; the egress was not recorded.",
          });
        }
        if (Date.now() >= deadline) {
          throw new AuditStoreUnavailableError(
            `The SQLite audit log ${this.path} stayed locked by another process for ${this.busyTimeoutMs} ms.`,
            {
              cause,
              hint: "Another process holds a long write transaction on the audit database; the request was not sent. Retry shortly, and find the process holding the lock.",
            },
          );
        }
        await sleep(delay + Math.random() * delay);
      }
    }
  }

  private has(table: string): boolean {
    return this.tables.has(table);
  }

  async append(fields: AuditRecordFields): Promise<AuditRecord> {
    if (!this.appendTx) {
      const headStmt = this.db.prepare("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1");
      const insert = this.db.prepare(insertRecordSql("audit_records", () => "?"));
      const tx = this.db.transaction((f: AuditRecordFields) => {
        const prev = headStmt.get() as { seq: number; hash: string } | undefined;
        const rec = sealRecord(prev, f);
        insert.run(...rowValues(rec));
        return rec;
      });
      this.appendTx = (f) => tx.immediate(f);
    }
    const appendTx = this.appendTx;
    return this.retry("append to", () => appendTx(fields));
  }

  async list(options: ListRecordsOptions = {}): Promise<AuditRecord[]> {
    if (!this.has(T.records)) return [];
    const { sql, params } = listRecordsQuery(T.records, options, () => "?");
    const rows = await this.retry(
      "read",
      () => this.db.prepare(sql).all(...params) as Record<string, unknown>[],
    );
    return rows.map(recordFromRow);
  }

  async count(): Promise<number> {
    if (!this.has(T.records)) return 0;
    return this.retry("read", () =>
      Number(this.db.prepare(`SELECT count(*) FROM ${T.records}`).pluck().get()),
    );
  }

  async head(): Promise<{ size: number; headHash: string | undefined }> {
    if (!this.has(T.records)) return { size: 0, headHash: undefined };
    const row = await this.retry(
      "read",
      () =>
        this.db.prepare("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1").get() as
          | { seq: number; hash: string }
          | undefined,
    );
    return { size: row?.seq ?? 0, headHash: row?.hash };
  }

  async hashes(afterSeq: number, limit: number): Promise<Array<{ seq: number; hash: string }>> {
    if (!this.has(T.records)) return [];
    return this.retry(
      "read",
      () =>
        this.db
          .prepare("SELECT seq, hash FROM audit_records WHERE seq > ? ORDER BY seq LIMIT ?")
          .all(afterSeq, limit) as Array<{ seq: number; hash: string }>,
    );
  }

  async listTreeHeads(): Promise<StoredTreeHead[]> {
    return this.treeHeads("ORDER BY id ASC");
  }

  async latestTreeHead(): Promise<StoredTreeHead | undefined> {
    return (await this.treeHeads("ORDER BY size DESC, id DESC LIMIT 1"))[0];
  }

  async treeHeadAt(size: number): Promise<StoredTreeHead | undefined> {
    return (await this.treeHeads("WHERE size = ? ORDER BY id DESC LIMIT 1", [size]))[0];
  }

  private async treeHeads(tail: string, params: number[] = []): Promise<StoredTreeHead[]> {
    if (!this.has(T.treeHeads)) return [];
    const rows = await this.retry("read", () =>
      this.db.prepare(`SELECT * FROM ${T.treeHeads} ${tail}`).all(...params),
    );
    return (rows as Record<string, unknown>[]).map(treeHeadFromRow);
  }

  async appendTreeHead(head: TreeHead, options: AppendTreeHeadOptions): Promise<StoredTreeHead | undefined> {
    const { sql, params } = conditionalTreeHeadInsert(T.treeHeads, head, options, () => "?");
    const row = await this.retry("write a checkpoint to", () => this.db.prepare(sql).get(...params));
    return row ? { ...head, id: Number((row as { id: number }).id) } : undefined;
  }

  async appendCosignature(c: StoredCosignature): Promise<void> {
    const { sql, params } = cosignatureInsert(T.cosignatures, c, () => "?");
    await this.retry("write a cosignature to", () => this.db.prepare(sql).run(...params));
  }

  async listCosignatures(): Promise<StoredCosignature[]> {
    if (!this.has(T.cosignatures)) return [];
    const rows = await this.retry("read", () =>
      this.db.prepare(`SELECT * FROM ${T.cosignatures} ORDER BY id`).all(),
    );
    return (rows as Record<string, unknown>[]).map(cosignatureFromRow);
  }

  async latestCosignature(
    witness: string,
    keyId: string,
  ): Promise<(StoredCosignature & { size: number }) | undefined> {
    if (!this.has(T.cosignatures) || !this.has(T.treeHeads)) return undefined;
    const row = await this.retry("read", () =>
      this.db.prepare(latestCosignatureQuery(T, () => "?")).get(witness, keyId),
    );
    return row
      ? {
          ...cosignatureFromRow(row as Record<string, unknown>),
          size: Number((row as { size: number }).size),
        }
      : undefined;
  }

  async appendCheckpoint(cp: SignedCheckpoint): Promise<StoredCheckpoint> {
    const info = await this.retry("write a checkpoint to", () =>
      this.db
        .prepare(
          "INSERT INTO audit_checkpoints (size, head_hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?)",
        )
        .run(cp.size, cp.headHash, cp.at, cp.keyId, cp.signature),
    );
    return { ...cp, id: Number(info.lastInsertRowid) };
  }

  async listCheckpoints(): Promise<StoredCheckpoint[]> {
    if (!this.has(T.checkpoints)) return [];
    const rows = await this.retry("read", () =>
      this.db.prepare("SELECT * FROM audit_checkpoints ORDER BY id ASC").all(),
    );
    return (rows as Record<string, unknown>[]).map(checkpointFromRow);
  }

  async close(): Promise<void> {
    if (this.db?.open) this.db.close();
  }
}
