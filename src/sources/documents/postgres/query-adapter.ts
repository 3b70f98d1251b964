/**
 * The few calls the PostgreSQL document store makes, so it runs on a `pg` Pool (servers) or on
 * PGlite (PostgreSQL in WASM: tests, embedded use) alike.
 */
export interface PgQueryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface PgQueryAdapter extends PgQueryable {
  /** Runs `fn` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: PgQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The part of `pg.Pool` used (structural, so any compatible pool works). */
export interface PgPoolLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  connect(): Promise<{
    query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
    release(error?: Error | boolean): void;
  }>;
  end(): Promise<void>;
}

/** Adapter over a `pg` Pool. `ownsPool`: `close()` ends the pool. */
export function pgPoolAdapter(pool: PgPoolLike, options: { ownsPool?: boolean } = {}): PgQueryAdapter {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)) as { rows: T[] },
    async transaction<T>(fn: (tx: PgQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        const result = await fn({
          query: async <R>(sql: string, params?: unknown[]) =>
            (await client.query(sql, params)) as { rows: R[] },
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {
          broken = true; // a connection that cannot roll back is not handed out again
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: async () => {
      if (options.ownsPool) await pool.end();
    },
  };
}

/** The part of a PGlite instance used (structural: `@electric-sql/pglite` is optional). */
export interface PgliteLike {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  transaction<T>(
    fn: (tx: { query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }> }) => Promise<T>,
  ): Promise<T>;
  close(): Promise<void>;
}

/** Adapter over PGlite. `ownsDb`: `close()` closes the database. */
export function pgliteAdapter(db: PgliteLike, options: { ownsDb?: boolean } = {}): PgQueryAdapter {
  return {
    query: (sql, params) => db.query(sql, params),
    transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => tx.query(sql, params) })),
    close: async () => {
      if (options.ownsDb) await db.close();
    },
  };
}
