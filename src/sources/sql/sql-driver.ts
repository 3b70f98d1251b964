/** Normalised JSON-ish type of a column, used to build planner schemas. */
export type ColumnKind = "integer" | "number" | "boolean" | "string";

export interface ColumnInfo {
  name: string;
  /** The database's declared type, e.g. `varchar(40)`, `INTEGER`. */
  dbType: string;
  kind: ColumnKind;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
}

export interface QueryOptions {
  /** Run with write access (only declared queries with `write: true`). */
  write?: boolean;
  /** Return at most this many rows; `truncated` says whether more existed. */
  maxRows: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface QueryResult {
  rows: Record<string, unknown>[];
  /** Rows returned, or rows changed by a write. */
  rowCount: number;
  truncated: boolean;
}

/**
 * The little a SQL source needs from a database engine; the tool-building code is shared.
 * Parameters are always positional here (named ones are translated before reaching a driver).
 */
export interface SqlDriver {
  readonly dialect: "sqlite" | "postgres";
  /** Placeholder for the 1-based parameter `index` (`?` or `$1`). */
  placeholder(index: number): string;
  quoteIdent(name: string): string;
  query(sql: string, params: unknown[], options: QueryOptions): Promise<QueryResult>;
  /** Streams one column of values (for the privacy index) without loading them all. */
  stream(sql: string, params: unknown[], timeoutMs: number): AsyncIterable<unknown>;
  introspect(): Promise<TableInfo[]>;
  /** Short description for `check()`, e.g. the file or host. */
  describe(): string;
  close(): Promise<void>;
}

/** Maps a declared SQL type to the JSON type the planner sees. */
export function columnKind(dbType: string): ColumnKind {
  const t = dbType.toLowerCase();
  if (/bool/.test(t)) return "boolean";
  if (/int|serial/.test(t)) return "integer";
  if (/real|floa|doub|numeric|decimal|money/.test(t)) return "number";
  return "string";
}

/** Double-quoted identifier, embedded quotes doubled (same rule on both engines). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Makes driver values JSON-safe: dates to ISO strings, blobs to base64, bigints to numbers/strings. */
export function plainValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString("base64");
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  return value;
}

export function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = plainValue(value);
  return out;
}
