import type pg from "pg";
import { loadPg } from "../../core/load-optional.js";
import { FlmError } from "../../errors/flm-error.js";
import {
  columnKind,
  plainRow,
  type QueryOptions,
  type QueryResult,
  quoteIdent,
  type SqlDriver,
  type TableInfo,
} from "./sql-driver.js";
import { sqlError } from "./sql-error.js";

export interface PostgresDriverOptions {
  url: string;
  /** Schema searched for tables (and set as `search_path`); default `public`. */
  schema?: string;
  /** Pool size; default 5. */
  maxConnections?: number;
}

const DATE_OID = 1082;

/**
 * A `date` stays the string the server sent ("1985-03-05"): pg's default parses it as local
 * midnight, which shifts it by a day east of UTC once serialized, and makes a sensitive date of
 * birth unmatchable in the privacy index.
 */
function typeParserOf(types: typeof pg.types): typeof pg.types.getTypeParser {
  const parser = (oid: number, format?: "text" | "binary") => {
    if (oid === DATE_OID && format !== "binary") return (value: string) => value;
    return types.getTypeParser(oid, format as "text");
  };
  return parser as typeof pg.types.getTypeParser;
}

/**
 * `pg` Pool behind the SqlDriver interface. Every connection starts with
 * `default_transaction_read_only = on`; every query runs in its own transaction opened
 * `READ ONLY` (or `READ WRITE` for declared write queries) with `SET LOCAL statement_timeout`.
 * Reads go through a server-side cursor so the row cap is applied by the server, not after
 * fetching everything.
 */
export class PostgresDriver implements SqlDriver {
  readonly dialect = "postgres" as const;
  /** Created on first use: `pg` is an optional dependency, loaded only when PostgreSQL is used. */
  private pool?: Promise<pg.Pool>;
  private readonly schema: string;
  private closed = false;

  constructor(private readonly options: PostgresDriverOptions) {
    this.schema = options.schema ?? "public";
    if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(this.schema)) {
      throw sqlError("SQL_CONFIG_INVALID", `Schema name "${this.schema}" is not a plain identifier.`, {
        hint: "Use letters, digits and '_'.",
      });
    }
  }

  private getPool(): Promise<pg.Pool> {
    this.pool ??= loadPg().then(({ default: pgModule }) => {
      const pool = new pgModule.Pool({
        connectionString: this.options.url,
        max: this.options.maxConnections ?? 5,
        options: `-c default_transaction_read_only=on -c search_path=${this.schema}`,
        types: { getTypeParser: typeParserOf(pgModule.types) },
      });
      // An idle client losing its connection must not crash the process; the pool replaces it.
      pool.on("error", () => {});
      return pool;
    });
    this.pool.catch(() => {
      this.pool = undefined; // a later call says again what is missing
    });
    return this.pool;
  }

  placeholder(index: number): string {
    return `$${index}`;
  }

  quoteIdent(name: string): string {
    return quoteIdent(name);
  }

  describe(): string {
    const url = new URL(this.options.url);
    return `postgres ${url.hostname}:${url.port || 5432}${url.pathname} schema ${this.schema}`;
  }

  async query(sql: string, params: unknown[], options: QueryOptions): Promise<QueryResult> {
    return this.transaction(options, async (client) => {
      if (options.write) {
        const result = await client.query(sql, params);
        const rows = (result.rows ?? []).slice(0, options.maxRows).map(plainRow);
        return {
          rows,
          rowCount: result.rowCount ?? rows.length,
          truncated: (result.rows?.length ?? 0) > options.maxRows,
        };
      }
      // DECLARE only accepts SELECT/VALUES: exactly what a read-only tool may run.
      if (!/^\s*(\(\s*)*(select|with|values|table)\b/i.test(stripLeadingComments(sql))) {
        throw sqlError("SQL_READ_ONLY", "This tool is read-only; the statement would change data.", {
          hint: "Declare the query with `write: true` if it must write.",
        });
      }
      await client.query(`DECLARE flm_cursor NO SCROLL CURSOR FOR ${sql}`, params);
      const result = await client.query(`FETCH ${options.maxRows + 1} FROM flm_cursor`);
      const truncated = result.rows.length > options.maxRows;
      const rows = result.rows.slice(0, options.maxRows).map(plainRow);
      return { rows, rowCount: rows.length, truncated };
    });
  }

  async *stream(sql: string, params: unknown[], timeoutMs: number): AsyncIterable<unknown> {
    const client = await this.connect();
    let committed = false;
    try {
      await client.query("BEGIN READ ONLY");
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      await client.query(`DECLARE flm_stream NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const batch = await client.query({ text: "FETCH 1000 FROM flm_stream", rowMode: "array" });
        if (batch.rows.length === 0) break;
        for (const row of batch.rows as unknown[][]) yield row[0];
      }
      await client.query("COMMIT");
      committed = true;
    } catch (cause) {
      throw translate(cause, sql, timeoutMs);
    } finally {
      // Also when the consumer stops early: end the transaction and give the client back.
      if (!committed) await client.query("ROLLBACK").catch(() => {});
      client.release();
    }
  }

  async introspect(): Promise<TableInfo[]> {
    const pool = await this.getPool();
    const result = await pool.query<{ table_name: string; column_name: string; data_type: string }>(
      // pg_catalog rather than information_schema: several times faster on wide schemas.
      `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS data_type
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped
         AND has_table_privilege(c.oid, 'SELECT')
       ORDER BY c.relname, a.attnum`,
      [this.schema],
    );
    const tables = new Map<string, TableInfo>();
    for (const row of result.rows) {
      let table = tables.get(row.table_name);
      if (!table) {
        table = { name: row.table_name, columns: [] };
        tables.set(row.table_name, table);
      }
      table.columns.push({ name: row.column_name, dbType: row.data_type, kind: columnKind(row.data_type) });
    }
    return [...tables.values()];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pool = await this.pool?.catch(() => undefined);
    await pool?.end();
  }

  private async cancelBackend(pid: number, stillRunning: () => boolean): Promise<void> {
    const { default: pgModule } = await loadPg();
    const admin = new pgModule.Client({ connectionString: this.options.url });
    try {
      await admin.connect();
      if (stillRunning()) await admin.query("SELECT pg_cancel_backend($1)", [pid]);
    } catch {
      // Best effort: the statement timeout still bounds the query.
    } finally {
      await admin.end().catch(() => {});
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await (await this.getPool()).connect();
    } catch (cause) {
      if (FlmError.isInstance(cause)) throw cause; // DEPENDENCY_MISSING says what to install
      throw sqlError("SQL_CONNECTION_FAILED", `Cannot connect to PostgreSQL (${this.describe()}).`, {
        cause,
        hint: "Check the URL, that the server runs, and the credentials.",
      });
    }
  }

  private async transaction<T>(
    options: QueryOptions,
    body: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    if (options.signal?.aborted)
      throw sqlError("SQL_ABORTED", "The run was cancelled before the query started.");
    const client = await this.connect();
    // A cancelled run cancels the statement on the server too, over its own connection (the
    // pool may be full), and only while the statement still runs on this client.
    let running = true;
    const onAbort = () => {
      const pid = processIdOf(client);
      if (pid) void this.cancelBackend(pid, () => running);
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await client.query(options.write ? "BEGIN READ WRITE" : "BEGIN READ ONLY");
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.timeoutMs))}`);
      const result = await body(client);
      await client.query("COMMIT");
      running = false;
      client.release();
      return result;
    } catch (cause) {
      await client.query("ROLLBACK").catch(() => {});
      running = false;
      client.release();
      if (options.signal?.aborted) throw sqlError("SQL_ABORTED", "The run was cancelled.", { cause });
      throw translate(cause, "", options.timeoutMs);
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }
}

function translate(cause: unknown, sql: string, timeoutMs: number) {
  if (FlmError.isInstance(cause)) return cause;
  const code = (cause as { code?: string }).code;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (code === "25006") {
    return sqlError("SQL_READ_ONLY", `PostgreSQL refused a write: ${message}.`, {
      cause,
      hint: "This tool is read-only; writes need a declared query with `write: true`.",
    });
  }
  if (code === "57014") {
    return sqlError("SQL_TIMEOUT", `The query ran longer than ${timeoutMs} ms and was cancelled.`, {
      cause,
      hint: "Narrow the filters or raise `statementTimeoutMs`.",
    });
  }
  return sqlError("SQL_QUERY_FAILED", `PostgreSQL refused the statement: ${message}.`, {
    cause,
    hint: sql ? `Check the SQL: ${sql.slice(0, 200)}` : "Check the declared SQL and the arguments.",
  });
}

function stripLeadingComments(sql: string): string {
  return sql.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, "");
}

/** The backend pid of a pg client (`processID`, set once connected; not in @types/pg). */
function processIdOf(client: object): number | undefined {
  const pid: unknown = Reflect.get(client, "processID");
  return typeof pid === "number" ? pid : undefined;
}
