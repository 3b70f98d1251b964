import type { Migration } from "../../postgres/migrate.js";
import { pgQuery } from "../../postgres/pg-pool.js";
import {
  openStateTable,
  PgStateStore,
  type PgStateStoreOptions,
  type PgStateTable,
} from "../../postgres/pg-state-store.js";
import type { AnswerTaintStore, TaintEntry, TaintRead, TaintReadOptions } from "./answer-taint-store.js";

export type PostgresAnswerTaintStoreOptions = PgStateStoreOptions;

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE IF NOT EXISTS {schema}.answer_taint (
         subject text NOT NULL,
         type text NOT NULL,
         value_hash bytea NOT NULL,
         value text NOT NULL,
         origin text NOT NULL,
         expires_at bigint NOT NULL,
         seq bigserial NOT NULL,
         tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
         PRIMARY KEY (subject, type, value_hash))`,
      "CREATE INDEX IF NOT EXISTS answer_taint_read ON {schema}.answer_taint (subject, tx)",
      "CREATE INDEX IF NOT EXISTS answer_taint_expiry ON {schema}.answer_taint (expires_at)",
    ],
  },
];

/**
 * Answer taint in PostgreSQL, shared by every replica: a value answered on one replica is tainted
 * for its subject on all of them. One row per subject, type and value; expiry in SQL (`prune`, on
 * a timer). Incremental reads use the database snapshot as cursor: a read returns exactly the rows
 * its previous read could not see, so a write committed late by another replica is never skipped
 * (a sequence-number cursor would skip it and let the value out).
 */
export class PostgresAnswerTaintStore extends PgStateStore implements AnswerTaintStore {
  private constructor(opened: PgStateTable) {
    super(opened, "answer-taint store");
  }

  static async open(options: PostgresAnswerTaintStoreOptions): Promise<PostgresAnswerTaintStore> {
    return new PostgresAnswerTaintStore(
      await openStateTable(options, "answer-taint", "answer_taint", MIGRATIONS),
    );
  }

  async add(subject: string, entries: readonly TaintEntry[]): Promise<void> {
    this.open();
    // One row per type and value in a statement (ON CONFLICT cannot touch a row twice): the later expiry.
    const unique = new Map<string, TaintEntry>();
    for (const e of entries) {
      const key = `${e.type}\u0000${e.value}`;
      const seen = unique.get(key);
      if (!seen) unique.set(key, e);
      else if (e.expiresAt > seen.expiresAt) unique.set(key, { ...seen, expiresAt: e.expiresAt });
    }
    if (unique.size === 0) return;
    const list = [...unique.values()];
    const t = this.table;
    // An entry still live keeps its place (and stays out of incremental reads); an expired one is
    // recorded anew, as if first seen now.
    await pgQuery(
      this.pool,
      "recording answer taint",
      `INSERT INTO ${t} AS t (subject, type, value_hash, value, origin, expires_at)
       SELECT $1, u.type, sha256(convert_to(u.value, 'UTF8')), u.value, u.origin, u.expires_at
         FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[]) WITH ORDINALITY
              AS u(type, value, origin, expires_at, ord)
        ORDER BY u.ord
       ON CONFLICT (subject, type, value_hash) DO UPDATE SET
         expires_at = CASE WHEN t.expires_at > $6 THEN greatest(t.expires_at, excluded.expires_at) ELSE excluded.expires_at END,
         origin = CASE WHEN t.expires_at > $6 THEN t.origin ELSE excluded.origin END,
         seq = CASE WHEN t.expires_at > $6 THEN t.seq ELSE excluded.seq END,
         tx = CASE WHEN t.expires_at > $6 THEN t.tx ELSE excluded.tx END`,
      [
        subject,
        list.map((e) => e.type),
        list.map((e) => e.value),
        list.map((e) => e.origin),
        list.map((e) => e.expiresAt),
        Date.now(),
      ],
    );
  }

  async read(subject: string, options: TaintReadOptions = {}): Promise<TaintRead> {
    this.open();
    const now = options.now ?? Date.now();
    const params: unknown[] = [subject, now];
    let since = "";
    if (options.after !== undefined) {
      params.push(options.after);
      since =
        "AND tx >= pg_snapshot_xmin($3::pg_snapshot) AND NOT pg_visible_in_snapshot(tx, $3::pg_snapshot)";
    }
    // The snapshot and the rows come from one statement, so they agree.
    const { rows } = await pgQuery<{ snap: string; entries: Array<[string, string, string, string]> }>(
      this.pool,
      "reading answer taint",
      `SELECT pg_current_snapshot()::text AS snap,
              (SELECT coalesce(json_agg(json_build_array(value, type, origin, expires_at::text) ORDER BY seq), '[]'::json)
                 FROM ${this.table} WHERE subject = $1 AND expires_at > $2 ${since}) AS entries`,
      params,
    );
    const row = rows[0]!;
    return {
      entries: row.entries.map(([value, type, origin, expiresAt]) => ({
        value,
        type,
        origin,
        expiresAt: Number(expiresAt),
      })),
      cursor: row.snap,
    };
  }

  async prune(now = Date.now()): Promise<number> {
    this.open();
    const r = await pgQuery(
      this.pool,
      "pruning answer taint",
      `DELETE FROM ${this.table} WHERE expires_at <= $1`,
      [now],
    );
    return r.rowCount ?? 0;
  }

  async forget(subject: string): Promise<void> {
    this.open();
    await pgQuery(this.pool, "forgetting answer taint", `DELETE FROM ${this.table} WHERE subject = $1`, [
      subject,
    ]);
  }
}
