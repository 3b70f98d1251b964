import type { Migration } from "../postgres/migrate.js";
import { pgQuery } from "../postgres/pg-pool.js";
import {
  openStateTable,
  PgStateStore,
  type PgStateStoreOptions,
  type PgStateTable,
} from "../postgres/pg-state-store.js";
import {
  DEFAULT_RUN_LEASE_MS,
  type LimitDecision,
  type UserLimitName,
  type UserLimitStore,
  type UserLimits,
} from "./user-limits.js";

export interface PostgresUserLimitStoreOptions extends PgStateStoreOptions {
  /** The requests-per-minute window. Default 60,000 ms (tests shorten it). */
  windowMs?: number;
  /** A run slot lapses this long after its replica last renewed it. Default 30,000 ms. */
  leaseMs?: number;
  /** How often this replica renews its run slots. Default leaseMs / 3; 0: never (a test's dead replica). */
  renewEveryMs?: number;
}

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    statements: [
      "CREATE TABLE IF NOT EXISTS {schema}.user_requests (user_id text NOT NULL, at bigint NOT NULL)",
      "CREATE INDEX IF NOT EXISTS user_requests_window ON {schema}.user_requests (user_id, at)",
      "CREATE INDEX IF NOT EXISTS user_requests_at ON {schema}.user_requests (at)",
      `CREATE TABLE IF NOT EXISTS {schema}.user_runs (
         run_id text PRIMARY KEY, user_id text NOT NULL, lease_until bigint NOT NULL)`,
      "CREATE INDEX IF NOT EXISTS user_runs_user ON {schema}.user_runs (user_id)",
      `CREATE TABLE IF NOT EXISTS {schema}.user_tokens (
         user_id text NOT NULL, day integer NOT NULL, tokens bigint NOT NULL, PRIMARY KEY (user_id, day))`,
      // One atomic check-and-take per request, under a per-user advisory lock, on the database's clock
      // (replicas' clocks may disagree). Returns (ok, limit, retry_ms).
      `CREATE OR REPLACE FUNCTION {schema}.flm_acquire(
         p_user text, p_rpm integer, p_runs integer, p_tokens bigint, p_run text, p_window bigint, p_lease bigint)
       RETURNS TABLE (ok boolean, limit_name text, retry_ms bigint) LANGUAGE plpgsql AS $fn$
       DECLARE
         now_ms bigint := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
         n integer;
         oldest bigint;
         used bigint;
       BEGIN
         PERFORM pg_advisory_xact_lock(hashtext('flm-user-limits'), hashtext(p_user));
         IF p_tokens IS NOT NULL THEN
           SELECT coalesce(sum(t.tokens), 0) INTO used FROM {schema}.user_tokens t
            WHERE t.user_id = p_user AND t.day = (now_ms / 86400000)::integer;
           IF used >= p_tokens THEN
             RETURN QUERY SELECT false, 'cloudTokensPerDay'::text, ((now_ms / 86400000) + 1) * 86400000 - now_ms;
             RETURN;
           END IF;
         END IF;
         IF p_runs IS NOT NULL THEN
           DELETE FROM {schema}.user_runs r WHERE r.user_id = p_user AND r.lease_until <= now_ms;
           SELECT count(*) INTO n FROM {schema}.user_runs r WHERE r.user_id = p_user;
           IF n >= p_runs THEN
             RETURN QUERY SELECT false, 'runsInFlight'::text, 1000::bigint;
             RETURN;
           END IF;
         END IF;
         IF p_rpm IS NOT NULL THEN
           DELETE FROM {schema}.user_requests q WHERE q.user_id = p_user AND q.at <= now_ms - p_window;
           SELECT count(*), min(q.at) INTO n, oldest FROM {schema}.user_requests q WHERE q.user_id = p_user;
           IF n >= p_rpm THEN
             RETURN QUERY SELECT false, 'requestsPerMinute'::text, oldest + p_window - now_ms;
             RETURN;
           END IF;
           INSERT INTO {schema}.user_requests (user_id, at) VALUES (p_user, now_ms);
         END IF;
         IF p_runs IS NOT NULL THEN
           INSERT INTO {schema}.user_runs (run_id, user_id, lease_until) VALUES (p_run, p_user, now_ms + p_lease);
         END IF;
         RETURN QUERY SELECT true, NULL::text, 0::bigint;
       END
       $fn$`,
    ],
  },
];

/**
 * Per-user limits in PostgreSQL, shared by every replica. `acquire` is one statement (a function
 * holding a per-user advisory lock for its transaction), so the count is exact across replicas.
 * Run slots carry a lease this replica renews while the run goes on: the slots of a replica that
 * was killed lapse after `leaseMs` instead of blocking the user for good.
 */
export class PostgresUserLimitStore extends PgStateStore implements UserLimitStore {
  private readonly held = new Set<string>();
  private readonly renewal?: NodeJS.Timeout;

  private constructor(
    opened: PgStateTable,
    private readonly schema: string,
    private readonly windowMs: number,
    private readonly leaseMs: number,
    renewEveryMs: number,
  ) {
    super(opened, "user-limit store");
    if (renewEveryMs > 0) {
      this.renewal = setInterval(() => void this.renew().catch(() => undefined), renewEveryMs);
      this.renewal.unref();
    }
  }

  static async open(options: PostgresUserLimitStoreOptions): Promise<PostgresUserLimitStore> {
    const opened = await openStateTable(options, "user-limits", "user_runs", MIGRATIONS);
    const schema = opened.table.slice(0, opened.table.lastIndexOf("."));
    const leaseMs = options.leaseMs ?? DEFAULT_RUN_LEASE_MS;
    return new PostgresUserLimitStore(
      opened,
      schema,
      options.windowMs ?? 60_000,
      leaseMs,
      options.renewEveryMs ?? Math.max(250, Math.floor(leaseMs / 3)),
    );
  }

  async acquire(user: string, limits: UserLimits, runId: string): Promise<LimitDecision> {
    this.open();
    const { rows } = await pgQuery<{ ok: boolean; limit_name: UserLimitName | null; retry_ms: string }>(
      this.pool,
      "checking per-user limits",
      `SELECT ok, limit_name, retry_ms FROM ${this.schema}.flm_acquire($1, $2, $3, $4, $5, $6, $7)`,
      [
        user,
        limits.requestsPerMinute ?? null,
        limits.runsInFlight ?? null,
        limits.cloudTokensPerDay ?? null,
        runId,
        this.windowMs,
        this.leaseMs,
      ],
    );
    const row = rows[0]!;
    if (row.ok) {
      if (limits.runsInFlight !== undefined) this.held.add(runId);
      return { ok: true };
    }
    return { ok: false, limit: row.limit_name!, retryAfterMs: Math.max(0, Number(row.retry_ms)) };
  }

  async release(runId: string): Promise<void> {
    if (!this.held.delete(runId)) return;
    await pgQuery(
      this.pool,
      "releasing a run slot",
      `DELETE FROM ${this.schema}.user_runs WHERE run_id = $1`,
      [runId],
    );
  }

  async addCloudTokens(user: string, tokens: number): Promise<void> {
    this.open();
    if (!(tokens > 0)) return;
    await pgQuery(
      this.pool,
      "counting cloud tokens",
      `INSERT INTO ${this.schema}.user_tokens AS t (user_id, day, tokens)
       VALUES ($1, floor(extract(epoch FROM clock_timestamp()) / 86400)::integer, $2)
       ON CONFLICT (user_id, day) DO UPDATE SET tokens = t.tokens + excluded.tokens`,
      [user, Math.round(tokens)],
    );
  }

  async prune(): Promise<number> {
    this.open();
    const { rows } = await pgQuery<{ n: string }>(
      this.pool,
      "pruning per-user limits",
      `WITH now_ms AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS v),
            a AS (DELETE FROM ${this.schema}.user_requests WHERE at <= (SELECT v FROM now_ms) - $1 RETURNING 1),
            b AS (DELETE FROM ${this.schema}.user_runs WHERE lease_until <= (SELECT v FROM now_ms) RETURNING 1),
            c AS (DELETE FROM ${this.schema}.user_tokens WHERE day < (SELECT v FROM now_ms) / 86400000 - 1 RETURNING 1)
       SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM c) AS n`,
      [this.windowMs],
    );
    return Number(rows[0]?.n ?? 0);
  }

  override async close(): Promise<void> {
    clearInterval(this.renewal);
    const held = [...this.held];
    this.held.clear();
    if (held.length)
      await this.pool
        .query(`DELETE FROM ${this.schema}.user_runs WHERE run_id = ANY($1)`, [held])
        .catch(() => undefined);
    await super.close();
  }

  /** Keeps this replica's run slots alive. */
  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    await this.pool.query(
      `UPDATE ${this.schema}.user_runs SET lease_until = (extract(epoch FROM clock_timestamp()) * 1000)::bigint + $2
        WHERE run_id = ANY($1)`,
      [[...this.held], this.leaseMs],
    );
  }
}
