import { capRecord } from "./cap-record.js";
import { RUN_STATUSES, type RunRecord, type RunStatus, type RunSummary, summarize } from "./run-record.js";
import { TraceConfigError, TraceQueryError, TraceStoreError } from "./trace-errors.js";
import {
  DEFAULT_TRACE_LIMITS,
  type PutResult,
  type RunPage,
  type RunQuery,
  type TraceStore,
  type TraceStoreLimits,
  type TraceStoreStats,
} from "./trace-store.js";

type Param = string | number | null;
type Row = Record<string, unknown>;

/** The little a trace store needs from a SQL database; one per dialect. */
export interface SqlConnection {
  readonly dialect: "sqlite" | "postgres";
  /** Rows of a SELECT. */
  query(sql: string, params?: Param[]): Promise<Row[]>;
  /** Runs a statement; returns the number of rows changed. */
  execute(sql: string, params?: Param[]): Promise<number>;
  close(): Promise<void>;
}

/** Column definitions shared by both dialects (`BIGINT` is an INTEGER in SQLite). */
export function runsTableDdl(table: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
      id TEXT PRIMARY KEY,
      started_at BIGINT NOT NULL,
      user_id TEXT NOT NULL,
      agent TEXT NOT NULL,
      status TEXT NOT NULL,
      blocked INTEGER NOT NULL,
      error_code TEXT,
      error_message TEXT,
      duration_ms DOUBLE PRECISION NOT NULL,
      cloud_tokens BIGINT NOT NULL,
      local_tokens BIGINT NOT NULL,
      bytes BIGINT NOT NULL,
      record TEXT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS runs_started ON ${table} (started_at, id)`,
    `CREATE INDEX IF NOT EXISTS runs_user ON ${table} (user_id, started_at)`,
    `CREATE INDEX IF NOT EXISTS runs_agent ON ${table} (agent, started_at)`,
    `CREATE INDEX IF NOT EXISTS runs_status ON ${table} (status, started_at)`,
  ];
}

const SUMMARY_COLUMNS =
  "id, started_at, user_id, agent, status, blocked, error_code, error_message, duration_ms, cloud_tokens, local_tokens, bytes";
const DAY_MS = 86_400_000;
const MAX_PAGE = 500;

export interface SqlTraceStoreOptions {
  limits?: Partial<TraceStoreLimits>;
  /** How often retention and the size cap are enforced in the background (default 10 min; 0: never). */
  pruneIntervalMs?: number;
  /** Clock (tests). */
  now?: () => Date;
  /** Where a failed background prune is reported (default: a process warning). */
  onError?: (error: unknown) => void;
}

/**
 * A trace store over any `SqlConnection`. Retention is exact: reads ignore expired rows, and
 * `prune()` (run at open, on a timer, and whenever this process's writes may have crossed the
 * size cap) deletes them. With several processes on one database each prunes globally.
 */
export class SqlTraceStore implements TraceStore {
  readonly kind: string;
  readonly limits: TraceStoreLimits;
  private readonly db: SqlConnection;
  private readonly table: string;
  private readonly now: () => Date;
  private readonly onError: (error: unknown) => void;
  private readonly p: (n: number) => string;
  /** Bytes stored as of the last prune, plus this process's writes since. */
  private approxBytes = 0;
  private pruning?: Promise<{ expired: number; evicted: number }>;
  private timer?: NodeJS.Timeout;
  private closed = false;

  private constructor(db: SqlConnection, table: string, options: SqlTraceStoreOptions) {
    this.db = db;
    this.kind = db.dialect;
    this.table = table;
    this.limits = validateLimits({ ...DEFAULT_TRACE_LIMITS, ...options.limits });
    this.now = options.now ?? (() => new Date());
    this.onError =
      options.onError ?? ((e) => process.emitWarning(`flm traces: background prune failed: ${e}`));
    this.p = db.dialect === "postgres" ? (n) => `$${n}` : () => "?";
    const every = options.pruneIntervalMs ?? 600_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.prune().catch(this.onError), every);
      this.timer.unref();
    }
  }

  /** Wraps a connection whose `table` already exists, and prunes once. */
  static async open(db: SqlConnection, table: string, options: SqlTraceStoreOptions = {}) {
    const store = new SqlTraceStore(db, table, options);
    try {
      await store.prune();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async put(record: RunRecord): Promise<PutResult> {
    const capped = capRecord(record, this.limits.maxTraceBytes);
    const r = record;
    const startedAt = Date.parse(r.startedAt);
    if (!r.id || !Number.isFinite(startedAt)) {
      throw new TraceQueryError(
        `A run record needs an id and an ISO startedAt (got ${JSON.stringify(r.id)}, ${JSON.stringify(r.startedAt)}).`,
        "Build records with buildRunRecord() from a run's trace.",
      );
    }
    const sum = summarize(r, capped.bytes);
    const values: Param[] = [
      sum.id,
      startedAt,
      sum.userId,
      sum.agent,
      sum.status,
      sum.blocked ? 1 : 0,
      sum.errorCode ?? null,
      sum.errorMessage ?? null,
      sum.durationMs,
      sum.cloudTokens,
      sum.localTokens,
      sum.bytes,
      capped.json,
    ];
    const cols = `${SUMMARY_COLUMNS}, record`;
    const updates = cols
      .split(", ")
      .filter((c) => c !== "id")
      .map((c) => `${c} = excluded.${c}`)
      .join(", ");
    await this.guard("write a run", () =>
      this.db.execute(
        `INSERT INTO ${this.table} (${cols}) VALUES (${values.map((_, i) => this.p(i + 1)).join(", ")})
         ON CONFLICT (id) DO UPDATE SET ${updates}`,
        values,
      ),
    );
    this.approxBytes += capped.bytes;
    if (this.approxBytes > this.limits.maxStoreBytes) await this.prune();
    return { bytes: capped.bytes, truncated: capped.originalBytes !== undefined };
  }

  async get(id: string, options: { userId?: string } = {}): Promise<RunRecord | undefined> {
    const params: Param[] = [id, this.cutoff()];
    let sql = `SELECT record FROM ${this.table} WHERE id = ${this.p(1)} AND started_at >= ${this.p(2)}`;
    if (options.userId !== undefined) {
      params.push(options.userId);
      sql += ` AND user_id = ${this.p(3)}`;
    }
    const rows = await this.guard("read a run", () => this.db.query(sql, params));
    return rows[0] ? (JSON.parse(String(rows[0].record)) as RunRecord) : undefined;
  }

  async list(query: RunQuery = {}): Promise<RunPage> {
    const limit = Math.min(Math.max(1, Math.floor(query.limit ?? 50)), MAX_PAGE);
    const where: string[] = [];
    const params: Param[] = [];
    const add = (clause: (p: string) => string, value: Param) => {
      params.push(value);
      where.push(clause(this.p(params.length)));
    };
    add((p) => `started_at >= ${p}`, this.cutoff());
    if (query.userId) add((p) => `user_id = ${p}`, query.userId);
    if (query.agent) add((p) => `agent = ${p}`, query.agent);
    if (query.status) {
      if (!RUN_STATUSES.includes(query.status))
        throw new TraceQueryError(
          `Unknown run status "${query.status}".`,
          `Use one of: ${RUN_STATUSES.join(", ")}.`,
        );
      add((p) => `status = ${p}`, query.status);
    }
    if (query.blocked !== undefined) add((p) => `blocked = ${p}`, query.blocked ? 1 : 0);
    if (query.from) add((p) => `started_at >= ${p}`, timeOf(query.from, "from"));
    if (query.to) add((p) => `started_at < ${p}`, timeOf(query.to, "to"));
    if (query.minDurationMs !== undefined) add((p) => `duration_ms >= ${p}`, query.minDurationMs);
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    const newer = cursor?.dir === "newer";
    if (cursor) {
      params.push(cursor.at, cursor.at, cursor.id);
      const [a, b, c] = [params.length - 2, params.length - 1, params.length].map(this.p);
      const op = newer ? ">" : "<";
      where.push(`(started_at ${op} ${a} OR (started_at = ${b} AND id ${op} ${c}))`);
    }
    const order = newer ? "ASC" : "DESC";
    params.push(limit + 1);
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM ${this.table} WHERE ${where.join(" AND ")}
      ORDER BY started_at ${order}, id ${order} LIMIT ${this.p(params.length)}`;
    const rows = await this.guard("list runs", () => this.db.query(sql, params));
    const more = rows.length > limit;
    const page = rows.slice(0, limit).map(summaryFromRow);
    if (newer) page.reverse();
    const first = page[0];
    const last = page.at(-1);
    return {
      runs: page,
      older: last && (newer || more) ? encodeCursor("older", last) : undefined,
      newer: first && (newer ? more : cursor !== undefined) ? encodeCursor("newer", first) : undefined,
    };
  }

  async facets(): Promise<{ users: string[]; agents: string[] }> {
    const distinct = (column: string) =>
      this.guard("list facets", () =>
        this.db.query(
          `SELECT DISTINCT ${column} AS v FROM ${this.table} WHERE started_at >= ${this.p(1)} ORDER BY v LIMIT 200`,
          [this.cutoff()],
        ),
      ).then((rows) => rows.map((r) => String(r.v)));
    const [users, agents] = await Promise.all([distinct("user_id"), distinct("agent")]);
    return { users, agents };
  }

  prune(now: Date = this.now()): Promise<{ expired: number; evicted: number }> {
    // One prune at a time per process; callers arriving meanwhile share its result.
    this.pruning ??= this.runPrune(now).finally(() => {
      this.pruning = undefined;
    });
    return this.pruning;
  }

  private async runPrune(now: Date) {
    return this.guard("prune runs", async () => {
      const expired = await this.db.execute(`DELETE FROM ${this.table} WHERE started_at < ${this.p(1)}`, [
        this.cutoff(now),
      ]);
      // Keep the newest runs whose bytes add up to the cap; delete everything older.
      const evicted = await this.db.execute(
        `DELETE FROM ${this.table} WHERE id IN (
           SELECT id FROM (
             SELECT id, SUM(bytes) OVER (ORDER BY started_at DESC, id DESC
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS newer_bytes
             FROM ${this.table}) t
           WHERE newer_bytes > ${this.p(1)})`,
        [this.limits.maxStoreBytes],
      );
      const rows = await this.db.query(`SELECT COALESCE(SUM(bytes), 0) AS b FROM ${this.table}`);
      this.approxBytes = Number(rows[0]?.b ?? 0);
      return { expired, evicted };
    });
  }

  async stats(): Promise<TraceStoreStats> {
    const rows = await this.guard("read store stats", () =>
      this.db.query(
        `SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b, MIN(started_at) AS lo, MAX(started_at) AS hi
         FROM ${this.table} WHERE started_at >= ${this.p(1)}`,
        [this.cutoff()],
      ),
    );
    const row = rows[0] ?? {};
    const iso = (v: unknown) => (v == null ? undefined : new Date(Number(v)).toISOString());
    return { runs: Number(row.n ?? 0), bytes: Number(row.b ?? 0), oldest: iso(row.lo), newest: iso(row.hi) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.pruning?.catch(() => {});
    await this.db.close();
  }

  private cutoff(now: Date = this.now()): number {
    return now.getTime() - this.limits.retentionDays * DAY_MS;
  }

  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (cause) {
      if (TraceQueryError.isInstance(cause)) throw cause;
      throw new TraceStoreError(`Could not ${what} in the ${this.kind} trace store.`, {
        cause,
        hint:
          this.kind === "postgres"
            ? "Check the database connection (traces.url or audit.url)."
            : "Check that the traces file is writable and not locked by another program.",
      });
    }
  }
}

function summaryFromRow(row: Row): RunSummary {
  const summary: RunSummary = {
    id: String(row.id),
    startedAt: new Date(Number(row.started_at)).toISOString(),
    userId: String(row.user_id),
    agent: String(row.agent),
    status: String(row.status) as RunStatus,
    durationMs: Number(row.duration_ms),
    cloudTokens: Number(row.cloud_tokens),
    localTokens: Number(row.local_tokens),
    blocked: Number(row.blocked) === 1,
    bytes: Number(row.bytes),
  };
  if (row.error_code != null) summary.errorCode = String(row.error_code);
  if (row.error_message != null) summary.errorMessage = String(row.error_message);
  return summary;
}

interface Cursor {
  dir: "older" | "newer";
  at: number;
  id: string;
}

function encodeCursor(dir: Cursor["dir"], run: RunSummary): string {
  return Buffer.from(
    JSON.stringify([dir === "older" ? "o" : "n", Date.parse(run.startedAt), run.id]),
  ).toString("base64url");
}

function decodeCursor(text: string): Cursor {
  try {
    const [d, at, id] = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if ((d === "o" || d === "n") && Number.isSafeInteger(at) && typeof id === "string")
      return { dir: d === "o" ? "older" : "newer", at, id };
  } catch {
    // reported below
  }
  throw new TraceQueryError(
    "The page cursor is not valid.",
    "Use the older/newer links of a runs page, or drop the cursor.",
  );
}

function timeOf(date: Date, name: string): number {
  const t = date.getTime();
  if (!Number.isFinite(t))
    throw new TraceQueryError(`The "${name}" time is not a valid date.`, "Use an ISO 8601 date or time.");
  return t;
}

function validateLimits(limits: TraceStoreLimits): TraceStoreLimits {
  const check = (name: keyof TraceStoreLimits, min: number) => {
    const v = limits[name];
    if (!(typeof v === "number" && Number.isFinite(v) && v >= min))
      throw new TraceConfigError(
        `traces.${name} must be a number of at least ${min}, got ${JSON.stringify(v)}.`,
        `Set traces.${name} to ${DEFAULT_TRACE_LIMITS[name]} (the default) or another value >= ${min}.`,
      );
  };
  check("retentionDays", 0.001);
  check("maxTraceBytes", 4096);
  check("maxStoreBytes", 65_536);
  if (limits.maxStoreBytes < limits.maxTraceBytes)
    throw new TraceConfigError(
      "traces.maxStoreBytes is smaller than traces.maxTraceBytes, so no run would fit.",
      "Make maxStoreBytes at least as large as maxTraceBytes.",
    );
  return limits;
}
