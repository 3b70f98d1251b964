import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditStoreContract } from "./audit-store.contract.js";
import { PostgresAuditStore } from "./postgres-audit-store.js";

const url = process.env.FLM_TEST_PG_URL;
/** Unique per file run, so parallel CI jobs sharing one database never collide. */
const prefix = `flm_audit_t${process.pid}_${randomBytes(3).toString("hex")}`;
let counter = 0;

describe.skipIf(!url)("PostgresAuditStore (FLM_TEST_PG_URL)", () => {
  let admin: pg.Pool;
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: url, max: 2 });
  });
  afterAll(async () => {
    // Schemas are dropped per test; this sweeps any left by a crashed test.
    const res = await admin.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [`${prefix}%`]);
    for (const row of res.rows) await admin.query(`DROP SCHEMA "${row.nspname}" CASCADE`);
    await admin.end();
  });

  auditStoreContract("PostgreSQL", async () => {
    const schema = `${prefix}_${++counter}`;
    const store = await PostgresAuditStore.open({ url, schema });
    const others: PostgresAuditStore[] = [];
    const records = `"${schema}".audit_records`;
    const checkpoints = `"${schema}".audit_checkpoints`;
    const treeHeads = `"${schema}".audit_tree_heads`;
    const cosignatures = `"${schema}".audit_cosignatures`;
    const all = [records, checkpoints, treeHeads, cosignatures];
    return {
      store,
      tables: { records, checkpoints, treeHeads, cosignatures },
      raw: async (sql) => {
        await store.pool.query(sql);
      },
      bypassTriggers: async (fn) => {
        // The table owner (an attacker with the app's credentials) can switch user triggers off.
        await admin.query(all.map((t) => `ALTER TABLE ${t} DISABLE TRIGGER USER;`).join(" "));
        try {
          await fn();
        } finally {
          await admin.query(all.map((t) => `ALTER TABLE ${t} ENABLE TRIGGER USER;`).join(" "));
        }
      },
      openAnother: async () => {
        const other = await PostgresAuditStore.open({ url, schema });
        others.push(other);
        return other;
      },
      cleanup: async () => {
        for (const o of others) await o.close();
        await store.close();
        await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      },
    };
  });

  it("refuses TRUNCATE of the records table", async () => {
    const schema = `${prefix}_${++counter}`;
    const store = await PostgresAuditStore.open({ url, schema });
    try {
      await expect(store.pool.query(`TRUNCATE "${schema}".audit_records`)).rejects.toThrow(/append-only/);
    } finally {
      await store.close();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    }
  });

  it("serialises appends from separate pools opened concurrently on a fresh schema", async () => {
    const schema = `${prefix}_${++counter}`;
    const stores = await Promise.all([1, 2, 3].map(() => PostgresAuditStore.open({ url, schema })));
    try {
      const fields = (i: number) => ({
        at: new Date().toISOString(),
        host: "h",
        model: "m",
        purpose: "plan",
        bodySha256: "0".repeat(64),
        placeholderCounts: { N: i },
        decision: "allowed" as const,
      });
      await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 3].append(fields(i))));
      const all = await stores[0].list();
      expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      for (let i = 1; i < all.length; i++) expect(all[i].prevHash).toBe(all[i - 1].hash);
    } finally {
      for (const s of stores) await s.close();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    }
  });

  it("rejects an invalid schema name with a typed error", async () => {
    await expect(PostgresAuditStore.open({ url, schema: 'x"; DROP TABLE y; --' })).rejects.toMatchObject({
      code: "AUDIT_CONFIG_INVALID",
    });
  });
});
