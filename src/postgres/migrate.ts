import type pg from "pg";
import { stateErrorFor, StateStoreError } from "./state-errors.js";

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A PostgreSQL schema name flm may interpolate into DDL (letters, digits, underscores). */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new StateStoreError(`Invalid PostgreSQL schema name ${JSON.stringify(schema)}.`, {
      hint: "Use letters, digits and underscores only, starting with a letter or underscore (max 63 chars).",
    });
  }
  return schema;
}

export interface Migration {
  /** Versions count from 1, in order; a version once released never changes. */
  version: number;
  /** Statements run in one transaction; `{schema}` is replaced by the quoted schema name. */
  statements: string[];
}

/**
 * Brings one component's tables (`component`: `answer-taint`, `conversations`, …) in `schema` up
 * to date: versioned (table `<schema>.flm_migrations`), create-if-absent, and safe when several
 * replicas start at once: everything runs in one transaction under an advisory lock keyed on the
 * schema, so one replica migrates and the others find the work done. Returns the versions applied.
 */
export async function migrate(
  pool: pg.Pool,
  schema: string,
  component: string,
  migrations: readonly Migration[],
): Promise<number[]> {
  const quoted = `"${checkSchemaName(schema)}"`;
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw stateErrorFor(`migrating ${component}`, error);
  }
  const applied: number[] = [];
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`flm-state-ddl:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.flm_migrations (
         component text NOT NULL, version integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (component, version))`,
    );
    const { rows } = await client.query<{ v: number | null }>(
      `SELECT max(version) AS v FROM ${quoted}.flm_migrations WHERE component = $1`,
      [component],
    );
    const current = rows[0]?.v ?? 0;
    const latest = Math.max(0, ...migrations.map((m) => m.version));
    if (current > latest) {
      throw new StateStoreError(
        `The shared state's ${component} tables are at version ${current}, newer than this flm knows (${latest}).`,
        { hint: "Upgrade this replica to the version the others run." },
      );
    }
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current) continue;
      for (const sql of m.statements) await client.query(sql.replaceAll("{schema}", quoted));
      await client.query(`INSERT INTO ${quoted}.flm_migrations (component, version) VALUES ($1, $2)`, [
        component,
        m.version,
      ]);
      applied.push(m.version);
    }
    await client.query("COMMIT");
    return applied;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw stateErrorFor(`migrating ${component}`, error);
  } finally {
    client.release();
  }
}
