import { type SensitiveChanges, type SensitiveValue, sensitiveChangesOf } from "../../tools/tool-source.js";
import { plainValue, type SqlDriver } from "./sql-driver.js";

/** A sensitive column, resolved against the database. */
export interface SensitiveColumnRef {
  table: string;
  column: string;
  type: string;
  origin: string;
}

/**
 * Where the last read of a source's sensitive columns stopped. SQLite: the connection's
 * `data_version` (changes committed by anyone else move it) and, per table, the highest rowid
 * read. PostgreSQL: the oldest transaction still running when the read started (32-bit xid, as
 * the `xmin` system column holds it): rows written by later transactions are new or changed.
 */
interface Mark {
  dataVersion?: number;
  rowids?: Record<string, number>;
  xmin?: number;
}

const text = (value: unknown) => String(plainValue(value)).trim();

async function scalar(d: SqlDriver, sql: string, timeoutMs: number): Promise<unknown> {
  for await (const value of d.stream(sql, [], timeoutMs)) return value;
  return undefined;
}

async function* read(
  d: SqlDriver,
  col: SensitiveColumnRef,
  where: string,
  params: unknown[],
  timeoutMs: number,
): AsyncGenerator<SensitiveValue> {
  const c = d.quoteIdent(col.column);
  const sql = `SELECT DISTINCT ${c} FROM ${d.quoteIdent(col.table)} WHERE ${c} IS NOT NULL${where}`;
  for await (const value of d.stream(sql, params, timeoutMs)) {
    // The form the local model and the user see (ISO dates, not Date#toString).
    const v = text(value);
    if (v) yield { type: col.type, value: v, origin: col.origin };
  }
}

/** Every distinct value of the sensitive columns. */
export async function* allSensitiveValues(
  d: SqlDriver,
  columns: SensitiveColumnRef[],
  timeoutMs: number,
): AsyncGenerator<SensitiveValue> {
  for (const col of columns) yield* read(d, col, "", [], timeoutMs);
}

/** The highest rowid of a table, or undefined when it has none (a view, WITHOUT ROWID). */
async function maxRowid(d: SqlDriver, table: string, timeoutMs: number): Promise<number | undefined> {
  try {
    const v = await scalar(d, `SELECT max(rowid) FROM ${d.quoteIdent(table)}`, timeoutMs);
    return v === null || v === undefined ? 0 : Number(v);
  } catch {
    return undefined;
  }
}

/**
 * Values added or changed since `since` (a mark from an earlier call; everything without one).
 * Incremental where the engine allows: SQLite compares `data_version` (nothing changed: nothing is
 * read) and reads rows past each table's rowid mark; PostgreSQL reads rows whose `xmin` is past
 * the mark (inserted or updated since). A table without rowids, a mark from another engine or an
 * xid wraparound mean a full read (`full: true`). Deleted rows are never reported: the caller
 * rebuilds from a full read now and then to drop them.
 */
export function sensitiveChangesSince(
  d: SqlDriver,
  columns: () => Promise<SensitiveColumnRef[]>,
  since: string | undefined,
  timeoutMs: number,
): SensitiveChanges {
  const previous: Mark | undefined = since ? (JSON.parse(since) as Mark) : undefined;
  return sensitiveChangesOf(async function* (state) {
    const cols = await columns();
    const next: Mark = {};
    if (d.dialect === "sqlite") {
      next.dataVersion = Number(await scalar(d, "PRAGMA data_version", timeoutMs));
      next.rowids = {};
      for (const col of cols) {
        const high = await maxRowid(d, col.table, timeoutMs);
        if (high !== undefined) next.rowids[col.table] = high;
      }
      const incremental =
        previous?.rowids !== undefined && cols.every((c) => previous.rowids![c.table] !== undefined);
      if (incremental && previous!.dataVersion === next.dataVersion) {
        state.full = false;
        state.mark = JSON.stringify(next);
        return;
      }
      state.full = !incremental;
      for (const col of cols) {
        const from = incremental ? previous!.rowids![col.table]! : undefined;
        const to = next.rowids[col.table];
        if (from === undefined || to === undefined) yield* read(d, col, "", [], timeoutMs);
        else if (to > from) yield* read(d, col, " AND rowid > ? AND rowid <= ?", [from, to], timeoutMs);
      }
      // A table without rowids cannot be read incrementally: the next read is full again.
      state.mark = cols.every((c) => next.rowids![c.table] !== undefined) ? JSON.stringify(next) : undefined;
      return;
    }
    // PostgreSQL: the oldest transaction still running now; whatever commits later has a newer xmin.
    const snapshot = await scalar(d, "SELECT (pg_snapshot_xmin(pg_current_snapshot()))::text", timeoutMs);
    next.xmin = Number(BigInt(String(snapshot)) % 4294967296n);
    const incremental = previous?.xmin !== undefined && previous.xmin <= next.xmin;
    state.full = !incremental;
    for (const col of cols)
      if (incremental) yield* read(d, col, ` AND (xmin::text)::bigint >= $1`, [previous!.xmin], timeoutMs);
      else yield* read(d, col, "", [], timeoutMs);
    state.mark = JSON.stringify(next);
  });
}
