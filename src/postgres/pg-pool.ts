import type pg from "pg";
import { loadPg } from "../core/load-optional.js";
import { stateErrorFor } from "./state-errors.js";

export interface PgPoolOptions {
  url: string;
  /** Most connections this process opens. Default 4. */
  max?: number;
  /** Shown in pg_stat_activity. Default `flm`. */
  applicationName?: string;
  /** How long to wait for a connection (ms) before the query fails as unavailable. Default 5,000. */
  connectTimeoutMs?: number;
  /** A statement running longer than this is cancelled by the server (ms). Default 10,000. */
  statementTimeoutMs?: number;
}

/** The `pg` module, loaded on first use (an optional dependency: only PostgreSQL users need it). */
export async function loadPgModule(): Promise<typeof pg> {
  return (await loadPg()).default;
}

/**
 * A connection pool for the shared state. Connections the server (or a proxy) drops while idle are
 * discarded quietly (`pg` would otherwise crash the process with an unhandled 'error'); the next
 * query opens a fresh one, so the process recovers from a database restart by itself.
 */
export async function openPgPool(options: PgPoolOptions): Promise<pg.Pool> {
  const pgModule = await loadPgModule();
  const pool = new pgModule.Pool({
    connectionString: options.url,
    max: options.max ?? 4,
    application_name: options.applicationName ?? "flm",
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  pool.on("error", () => {});
  return pool;
}

/** Runs one statement; a failure becomes STATE_STORE_UNAVAILABLE (unreachable) or STATE_STORE_FAILED. */
export async function pgQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  pool: pg.Pool,
  what: string,
  sql: string,
  params: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  try {
    return await pool.query<R>(sql, params);
  } catch (error) {
    throw stateErrorFor(what, error);
  }
}
