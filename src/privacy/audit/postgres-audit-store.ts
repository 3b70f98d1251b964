import type pg from "pg";
import { loadPg } from "../../core/load-optional.js";
import { AuditConfigError, AuditStoreError } from "./audit-errors.js";
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

export interface PostgresAuditStoreOptions {
  /** Connection string; or pass `pool`. */
  url?: string;
  /** An existing pool (not ended by `close()`). */
  pool?: pg.Pool;
  /** Schema holding the audit tables (created if missing). Default `flm_audit`. */
  schema?: string;
}

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
  private readonly t: { records: string; checkpoints: string };

  private constructor(pool: pg.Pool, ownsPool: boolean, schema: string) {
    this.pool = pool;
    this.ownsPool = ownsPool;
    this.schema = schema;
    this.lockKey = `flm-audit:${schema}`;
    const q = quoteIdent(schema);
    this.t = { records: `${q}.audit_records`, checkpoints: `${q}.audit_checkpoints` };
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
    const pool = options.pool ?? new (await loadPg()).default.Pool({ connectionString: options.url, max: 4 });
    // An idle client dropped by the server would otherwise crash the process; the next query reports it.
    if (!options.pool) pool.on("error", () => {});
    const store = new PostgresAuditStore(pool, !options.pool, schema);
    try {
      await store.createSchema();
    } catch (cause) {
      if (!options.pool) await pool.end().catch(() => {});
      throw new AuditStoreError(`Could not open the PostgreSQL audit log (schema ${schema}).`, {
        cause,
        hint: "Check the connection URL and that the user may CREATE in the database (or pre-create the schema).",
      });
    }
    return store;
  }

  private async createSchema(): Promise<void> {
    const q = quoteIdent(this.schema);
    const ddl = `
      CREATE SCHEMA IF NOT EXISTS ${q};
      CREATE TABLE IF NOT EXISTS ${this.t.records} (
        seq BIGINT PRIMARY KEY,${RECORD_COLUMNS_DDL}
      );
      CREATE INDEX IF NOT EXISTS audit_records_at ON ${this.t.records} (at);
      CREATE TABLE IF NOT EXISTS ${this.t.checkpoints} (
        id BIGSERIAL PRIMARY KEY,
        size BIGINT NOT NULL,
        head_hash TEXT NOT NULL,
        at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL
      );
      CREATE OR REPLACE FUNCTION ${q}.audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
      END
      $fn$;
      DO $do$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_records_append_only'
                       AND tgrelid = '${this.t.records}'::regclass) THEN
          CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON ${this.t.records}
            FOR EACH ROW EXECUTE FUNCTION ${q}.audit_refuse_change();
          CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON ${this.t.records}
            FOR EACH STATEMENT EXECUTE FUNCTION ${q}.audit_refuse_change();
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_checkpoints_append_only'
                       AND tgrelid = '${this.t.checkpoints}'::regclass) THEN
          CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON ${this.t.checkpoints}
            FOR EACH ROW EXECUTE FUNCTION ${q}.audit_refuse_change();
          CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON ${this.t.checkpoints}
            FOR EACH STATEMENT EXECUTE FUNCTION ${q}.audit_refuse_change();
        END IF;
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
      throw new AuditStoreError("Could not append to the PostgreSQL audit log.", {
        cause,
        hint: "Check the database connection; the egress was not recorded.",
      });
    }
  }

  async list(options: ListRecordsOptions = {}): Promise<AuditRecord[]> {
    const { sql, params } = listRecordsQuery(this.t.records, options, pgParam);
    const res = await this.pool.query(sql, params);
    return res.rows.map(recordFromRow);
  }

  async head(): Promise<{ size: number; headHash: string | undefined }> {
    const res = await this.pool.query(`SELECT seq, hash FROM ${this.t.records} ORDER BY seq DESC LIMIT 1`);
    const row = res.rows[0];
    return { size: row ? Number(row.seq) : 0, headHash: row?.hash };
  }

  async appendCheckpoint(cp: SignedCheckpoint): Promise<StoredCheckpoint> {
    const res = await this.pool.query(
      `INSERT INTO ${this.t.checkpoints} (size, head_hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [cp.size, cp.headHash, cp.at, cp.keyId, cp.signature],
    );
    return { ...cp, id: Number(res.rows[0].id) };
  }

  async listCheckpoints(): Promise<StoredCheckpoint[]> {
    const res = await this.pool.query(`SELECT * FROM ${this.t.checkpoints} ORDER BY id ASC`);
    return res.rows.map(checkpointFromRow);
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
