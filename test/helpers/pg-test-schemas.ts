/**
 * Throw-away PostgreSQL schemas for tests that use FLM_TEST_PG_URL: unique names per file run (so
 * parallel runs sharing one database never collide), all dropped in `dropAll()`.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const PG_URL = process.env.FLM_TEST_PG_URL;

export function pgTestSchemas(label: string) {
  const prefix = `flm_${label}_t${process.pid}_${randomBytes(3).toString("hex")}`;
  let counter = 0;
  return {
    /** A new schema name (not created: the store under test creates it). */
    next: () => `${prefix}_${++counter}`,
    async dropAll(): Promise<void> {
      if (!PG_URL) return;
      const admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
      try {
        const res = await admin.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [
          `${prefix}%`,
        ]);
        for (const row of res.rows) await admin.query(`DROP SCHEMA "${row.nspname}" CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
