import type pg from "pg";
import { checkSchemaName, type Migration, migrate } from "./migrate.js";
import { openPgPool } from "./pg-pool.js";

export interface PgStateStoreOptions {
  /** Connection string; or pass `pool`. */
  url?: string;
  /** An existing pool (not ended by `close()`). */
  pool?: pg.Pool;
  /** Schema of the shared state (created if missing). Default `flm_state`. */
  schema?: string;
  /** Deletes expired rows every this many ms (0: never; call `prune`). Default 300,000. */
  pruneIntervalMs?: number;
}

/** A store's table, opened and migrated: what `PgStateStore` subclasses are built from. */
export interface PgStateTable {
  pool: pg.Pool;
  /** The quoted, schema-qualified table name. */
  table: string;
  ownsPool: boolean;
  pruneIntervalMs: number;
}

/**
 * Opens the pool (unless given) and migrates one component's tables; `table` is the name the
 * subclass queries. A failure ends a pool it opened.
 */
export async function openStateTable(
  options: PgStateStoreOptions,
  component: string,
  table: string,
  migrations: readonly Migration[],
): Promise<PgStateTable> {
  const schema = checkSchemaName(options.schema ?? "flm_state");
  const pool = options.pool ?? (await openPgPool({ url: options.url ?? "", applicationName: "flm-state" }));
  try {
    await migrate(pool, schema, component, migrations);
  } catch (error) {
    if (!options.pool) await pool.end().catch(() => undefined);
    throw error;
  }
  return {
    pool,
    table: `"${schema}".${table}`,
    ownsPool: !options.pool,
    pruneIntervalMs: options.pruneIntervalMs ?? 300_000,
  };
}

/** What the PostgreSQL state stores share: expiry on a timer, closing, refusing work once closed. */
export abstract class PgStateStore {
  protected readonly pool: pg.Pool;
  protected readonly table: string;
  private readonly ownsPool: boolean;
  private readonly timer?: NodeJS.Timeout;
  private closed = false;

  protected constructor(
    opened: PgStateTable,
    private readonly label: string,
  ) {
    this.pool = opened.pool;
    this.table = opened.table;
    this.ownsPool = opened.ownsPool;
    if (opened.pruneIntervalMs > 0) {
      this.timer = setInterval(() => void this.prune().catch(() => undefined), opened.pruneIntervalMs);
      this.timer.unref();
    }
  }

  /** Deletes expired rows; returns how many. */
  abstract prune(now?: number): Promise<number>;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    if (this.ownsPool) await this.pool.end().catch(() => undefined);
  }

  protected open(): void {
    if (this.closed) throw new Error(`the ${this.label} is closed`);
  }
}
