import type pg from "pg";
import { loadPg } from "../../core/load-optional.js";
import { AuditConfigError, AuditLogAbsentError } from "./audit-errors.js";
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
import { storeError } from "./postgres-audit-errors.js";
import { checkpointFromRow, type SignedCheckpoint, type StoredCheckpoint } from "./legacy-checkpoint.js";
import type { StoredCosignature, StoredTreeHead, TreeHead } from "./tree-head.js";

export interface PostgresAuditStoreOptions {
  /** Connection string; or pass `pool`. */
  url?: string;
  /** An existing pool (not ended by `close()`). */
  pool?: pg.Pool;
  /** Schema holding the audit tables (created if missing). Default `flm_audit`. */
  schema?: string;
  /**
   * Open an existing log for reading only (verification, `flm audit show`): nothing is created or
   * migrated, and a missing schema is an AUDIT_LOG_ABSENT error.
   */
  readonly?: boolean;
  /** How long an append may wait for the chain lock or a connection (default 5000 ms). */
  lockTimeoutMs?: number;
}

const APPEND_ONLY = ["audit_records", "audit_checkpoints", "audit_tree_heads", "audit_cosignatures"];
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * PostgreSQL store for multi-instance deployments. Every append takes a transaction-scoped
 * advisory lock keyed on the schema, reads the head and inserts the next record, so writers in
 * different processes are serialised and the chain cannot fork (the primary key on `seq` is a
 * second line of defence).
 */
export class PostgresAuditStore implements AuditStore {
  readonly kind = "postgres";
  readonly schema: string;
  readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private closed = false;
  private readonly lockKey: string;
  private readonly lockTimeoutMs: number;
  private readonly t: AuditTables;
  /** Tables missing from a read-only legacy log read as empty. */
  private readonly missing = new Set<string>();

  private constructor(pool: pg.Pool, ownsPool: boolean, schema: string, lockTimeoutMs: number) {
    this.pool = pool;
    this.ownsPool = ownsPool;
    this.schema = schema;
    this.lockKey = `flm-audit:${schema}`;
    this.lockTimeoutMs = lockTimeoutMs;
    const q = quoteIdent(schema);
    this.t = {
      records: `${q}.audit_records`,
      checkpoints: `${q}.audit_checkpoints`,
      treeHeads: `${q}.audit_tree_heads`,
      cosignatures: `${q}.audit_cosignatures`,
    };
  }

  /** Connects and creates the schema, tables and append-only triggers if missing. */
  static async open(options: PostgresAuditStoreOptions): Promise<PostgresAuditStore> {
    const schema = options.schema ?? "flm_audit";
    if (!SCHEMA_NAME.test(schema)) {
      throw new AuditConfigError(
        `Invalid PostgreSQL schema name for the audit log: ${JSON.stringify(schema)}.`,
        "Use letters, digits and underscores only, starting with a letter or underscore (max 63 chars).",
      );
    }
    if (!options.pool && !options.url) {
      throw new AuditConfigError(
        "The PostgreSQL audit log needs a connection.",
        'Pass { kind: "postgres", url: "postgres://user:pass@host/db" }.',
      );
    }
    const lockTimeoutMs = options.lockTimeoutMs ?? 5000;
    const pool =
      options.pool ??
      new (await loadPg()).default.Pool({
        connectionString: options.url,
        max: 4,
        connectionTimeoutMillis: lockTimeoutMs,
      });
    // An idle client dropped by the server would otherwise crash the process; the next query reports it.
    if (!options.pool) pool.on("error", () => {});
    const store = new PostgresAuditStore(pool, !options.pool, schema, lockTimeoutMs);
    try {
      if (options.readonly) await store.checkTables();
      else await store.createSchema();
    } catch (cause) {
      if (!options.pool) await pool.end().catch(() => {});
      if (AuditLogAbsentError.isInstance(cause)) throw cause;
      throw storeError(`Could not open the PostgreSQL audit log (schema ${schema}).`, cause, {
        hint: "Check the connection URL and that the user may CREATE in the database (or pre-create the schema).",
      });
    }
    return store;
  }

  private async checkTables(): Promise<void> {
    const names = Object.entries(this.t);
    const res = await this.pool.query(
      `SELECT ${names.map((_, i) => `to_regclass($${i + 1}) IS NULL AS m${i}`).join(", ")}`,
      names.map(([, table]) => table),
    );
    names.forEach(([key], i) => {
      if (res.rows[0][`m${i}`]) this.missing.add(key);
    });
    if (this.missing.has("records")) {
      throw new AuditLogAbsentError(`There is no audit log in schema ${this.schema} of this database.`, {
        hint: "Check audit.url and the schema; if the tables were dropped, restore them from a backup (a witness can tell whether the restored copy is complete).",
      });
    }
  }

  /**
   * True when the tables, the replica column and every append-only trigger are in place. Opening a
   * complete log then runs no DDL: ALTER/CREATE take table locks that would stall other replicas'
   * appends while a replica (re)starts.
   */
  private async schemaComplete(): Promise<boolean> {
    const triggers = APPEND_ONLY.flatMap((t) => [`${t}_append_only`, `${t}_no_truncate`]);
    const res = await this.pool.query(
      `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind = 'r') AS tables,
              (SELECT count(*) FROM information_schema.columns
                WHERE table_schema = $1 AND table_name = 'audit_records' AND column_name = 'replica') AS replica,
              (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND t.tgname = ANY($3::text[]) AND t.tgenabled <> 'D') AS triggers,
              (SELECT count(*) FROM pg_indexes
                WHERE schemaname = $1 AND indexname = 'audit_cosignatures_witness') AS indexes`,
      [this.schema, APPEND_ONLY, triggers],
    );
    const row = res.rows[0];
    return (
      Number(row.tables) === APPEND_ONLY.length &&
      Number(row.replica) === 1 &&
      Number(row.triggers) === triggers.length
    );
  }

  private async createSchema(): Promise<void> {
    if (await this.schemaComplete()) return;
    const q = quoteIdent(this.schema);
    const ddl = `
      CREATE SCHEMA IF NOT EXISTS ${q};
      CREATE TABLE IF NOT EXISTS ${this.t.records} (
        seq BIGINT PRIMARY KEY,${RECORD_COLUMNS_DDL}
      );
      CREATE INDEX IF NOT EXISTS audit_records_at ON ${this.t.records} (at);
      ALTER TABLE ${this.t.records} ADD COLUMN IF NOT EXISTS replica TEXT;
      CREATE TABLE IF NOT EXISTS ${this.t.checkpoints} (
        id BIGSERIAL PRIMARY KEY,
        size BIGINT NOT NULL,
        head_hash TEXT NOT NULL,
        at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL
      );
      ${treeHeadTablesDdl(this.t, "BIGSERIAL PRIMARY KEY", "BIGINT")}
      ${treeHeadIndexesDdl(this.t)}
      CREATE OR REPLACE FUNCTION ${q}.audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
      END
      $fn$;
      DO $do$
      BEGIN
        ${APPEND_ONLY.map(
          (name) => `
        IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '${name}_append_only'
                       AND tgrelid = '${q}.${name}'::regclass) THEN
          CREATE TRIGGER ${name}_append_only BEFORE UPDATE OR DELETE ON ${q}.${name}
            FOR EACH ROW EXECUTE FUNCTION ${q}.audit_refuse_change();
          CREATE TRIGGER ${name}_no_truncate BEFORE TRUNCATE ON ${q}.${name}
            FOR EACH STATEMENT EXECUTE FUNCTION ${q}.audit_refuse_change();
        END IF;`,
        ).join("")}
      END
      $do$;`;
    await this.inTransaction(async (client) => {
      // Serialise concurrent first opens: CREATE ... IF NOT EXISTS still races on the catalog.
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`flm-audit-ddl:${this.schema}`]);
      await client.query(ddl);
    });
  }

  async append(fields: AuditRecordFields): Promise<AuditRecord> {
    try {
      return await this.inTransaction(async (client) => {
        // A writer stuck holding the chain lock must not hang every other replica's egress.
        await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.lockTimeoutMs))}`);
        await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [this.lockKey]);
        const head = await client.query(`SELECT seq, hash FROM ${this.t.records} ORDER BY seq DESC LIMIT 1`);
        const prev = head.rows[0]
          ? { seq: Number(head.rows[0].seq), hash: String(head.rows[0].hash) }
          : undefined;
        const rec = sealRecord(prev, fields);
        await client.query(insertRecordSql(this.t.records, pgParam), rowValues(rec));
        return rec;
      });
    } catch (cause) {
      throw storeError("Could not append to the PostgreSQL audit log.", cause, {
        hint: "The egress was not recorded, so it was not sent.",
      });
    }
  }

  async list(options: ListRecordsOptions = {}): Promise<AuditRecord[]> {
    const { sql, params } = listRecordsQuery(this.t.records, options, pgParam);
    return (await this.query(sql, params)).map(recordFromRow);
  }

  async count(): Promise<number> {
    return Number((await this.query(`SELECT count(*) AS n FROM ${this.t.records}`))[0].n);
  }

  async head(): Promise<{ size: number; headHash: string | undefined }> {
    const row = (await this.query(`SELECT seq, hash FROM ${this.t.records} ORDER BY seq DESC LIMIT 1`))[0];
    return { size: row ? Number(row.seq) : 0, headHash: row ? String(row.hash) : undefined };
  }

  async hashes(afterSeq: number, limit: number): Promise<Array<{ seq: number; hash: string }>> {
    const rows = await this.query(
      `SELECT seq, hash FROM ${this.t.records} WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map((r) => ({ seq: Number(r.seq), hash: String(r.hash) }));
  }

  async listTreeHeads(): Promise<StoredTreeHead[]> {
    return this.treeHeads("ORDER BY id ASC");
  }

  async latestTreeHead(): Promise<StoredTreeHead | undefined> {
    return (await this.treeHeads("ORDER BY size DESC, id DESC LIMIT 1"))[0];
  }

  async treeHeadAt(size: number): Promise<StoredTreeHead | undefined> {
    return (await this.treeHeads("WHERE size = $1 ORDER BY id DESC LIMIT 1", [size]))[0];
  }

  private async treeHeads(tail: string, params: unknown[] = []): Promise<StoredTreeHead[]> {
    if (this.missing.has("treeHeads")) return [];
    return (await this.query(`SELECT * FROM ${this.t.treeHeads} ${tail}`, params)).map(treeHeadFromRow);
  }

  async appendTreeHead(head: TreeHead, options: AppendTreeHeadOptions): Promise<StoredTreeHead | undefined> {
    const { sql, params } = conditionalTreeHeadInsert(this.t.treeHeads, head, options, pgParam);
    try {
      const row = await this.inTransaction(async (client) => {
        await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.lockTimeoutMs))}`);
        // One checkpoint lock across replicas: the NOT EXISTS check and the insert are one step.
        await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`${this.lockKey}:checkpoint`]);
        return (await client.query(sql, params)).rows[0];
      });
      return row ? { ...head, id: Number(row.id) } : undefined;
    } catch (cause) {
      throw storeError("Could not write a checkpoint to the PostgreSQL audit log.", cause, {
        hint: "Check the database connection; the next checkpoint will cover these records.",
      });
    }
  }

  async appendCosignature(c: StoredCosignature): Promise<void> {
    const { sql, params } = cosignatureInsert(this.t.cosignatures, c, pgParam);
    await this.query(sql, params);
  }

  async listCosignatures(): Promise<StoredCosignature[]> {
    if (this.missing.has("cosignatures")) return [];
    return (await this.query(`SELECT * FROM ${this.t.cosignatures} ORDER BY id`)).map(cosignatureFromRow);
  }

  async latestCosignature(
    witness: string,
    keyId: string,
  ): Promise<(StoredCosignature & { size: number }) | undefined> {
    if (this.missing.has("cosignatures") || this.missing.has("treeHeads")) return undefined;
    const row = (await this.query(latestCosignatureQuery(this.t, pgParam), [witness, keyId]))[0];
    return row ? { ...cosignatureFromRow(row), size: Number(row.size) } : undefined;
  }

  async appendCheckpoint(cp: SignedCheckpoint): Promise<StoredCheckpoint> {
    const rows = await this.query(
      `INSERT INTO ${this.t.checkpoints} (size, head_hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [cp.size, cp.headHash, cp.at, cp.keyId, cp.signature],
    );
    return { ...cp, id: Number(rows[0].id) };
  }

  async listCheckpoints(): Promise<StoredCheckpoint[]> {
    if (this.missing.has("checkpoints")) return [];
    return (await this.query(`SELECT * FROM ${this.t.checkpoints} ORDER BY id ASC`)).map(checkpointFromRow);
  }

  private async query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    try {
      return (await this.pool.query(sql, params)).rows;
    } catch (cause) {
      throw storeError("A PostgreSQL audit log query failed.", cause, {
        hint: "Check the database connection and the audit schema.",
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsPool) await this.pool.end();
  }

  private async inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const out = await fn(client);
      await client.query("COMMIT");
      return out;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

const pgParam = (n: number) => `$${n}`;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
