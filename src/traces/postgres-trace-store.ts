import type pg from "pg";
import { loadPg } from "../core/load-optional.js";
import {
  runsTableDdl,
  type SqlConnection,
  SqlTraceStore,
  type SqlTraceStoreOptions,
} from "./sql-trace-store.js";
import { TraceConfigError, TraceStoreError } from "./trace-errors.js";

export interface PostgresTraceStoreOptions extends SqlTraceStoreOptions {
  /** Connection string; or pass `pool`. */
  url?: string;
  /** An existing pool (not ended by `close()`). */
  pool?: pg.Pool;
  /** Schema holding the `runs` table (created if missing). Default `flm_traces`. */
  schema?: string;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Traces in PostgreSQL, for several gateway replicas sharing one database: a run written by one
 * replica is read by any other. The schema and table are created on first open (serialised by an
 * advisory lock, since `CREATE ... IF NOT EXISTS` still races on the catalog).
 */
export async function openPostgresTraceStore(options: PostgresTraceStoreOptions): Promise<SqlTraceStore> {
  const schema = options.schema ?? "flm_traces";
  if (!SCHEMA_NAME.test(schema)) {
    throw new TraceConfigError(
      `Invalid PostgreSQL schema name for traces: ${JSON.stringify(schema)}.`,
      "Use letters, digits and underscores only, starting with a letter or underscore (max 63 chars).",
    );
  }
  if (!options.pool && !options.url) {
    throw new TraceConfigError(
      "The PostgreSQL trace store needs a connection.",
      "Set traces.url (or audit.url) to postgres://user:pass@host/db.",
    );
  }
  const pool = options.pool ?? new (await loadPg()).default.Pool({ connectionString: options.url, max: 4 });
  // An idle client dropped by the server would otherwise crash the process; the next query reports it.
  if (!options.pool) pool.on("error", () => {});
  const table = `"${schema}".runs`;
  try {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`flm-traces-ddl:${schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      for (const ddl of runsTableDdl(table)) await client.query(ddl);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  } catch (cause) {
    if (!options.pool) await pool.end().catch(() => {});
    throw new TraceStoreError(`Could not open the PostgreSQL trace store (schema ${schema}).`, {
      cause,
      hint: "Check the connection URL and that the user may CREATE in the database (or pre-create the schema).",
    });
  }
  let ended = false;
  const connection: SqlConnection = {
    dialect: "postgres",
    query: async (sql, params = []) => (await pool.query(sql, params)).rows,
    execute: async (sql, params = []) => (await pool.query(sql, params)).rowCount ?? 0,
    close: async () => {
      if (ended || options.pool) return;
      ended = true;
      await pool.end();
    },
  };
  return SqlTraceStore.open(connection, table, options);
}
