import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traceStoreContract } from "../../test/contracts/trace-store-contract.js";
import { openPostgresTraceStore } from "./postgres-trace-store.js";

const url = process.env.FLM_TEST_PG_URL;
/** Unique per file run, so parallel CI jobs sharing one database never collide. */
const prefix = `flm_traces_t${process.pid}_${randomBytes(3).toString("hex")}`;
let counter = 0;
const schemas = new WeakMap<object, string>();

let admin: pg.Pool | undefined;
beforeAll(() => {
  if (url) admin = new pg.Pool({ connectionString: url, max: 2 });
});
afterAll(async () => {
  if (!admin) return;
  const res = await admin.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [`${prefix}%`]);
  for (const row of res.rows) await admin.query(`DROP SCHEMA "${row.nspname}" CASCADE`);
  await admin.end();
});

traceStoreContract("PostgreSQL (FLM_TEST_PG_URL)", {
  skip: !url,
  create: async (options) => {
    const schema = `${prefix}_${++counter}`;
    const store = await openPostgresTraceStore({ url, schema, pruneIntervalMs: 0, ...options });
    schemas.set(store, schema);
    return store;
  },
  openAnother: (store) => openPostgresTraceStore({ url, schema: schemas.get(store)!, pruneIntervalMs: 0 }),
});

describe.skipIf(!url)("PostgreSQL trace store", () => {
  it("opens concurrently from several replicas without racing on the schema", async () => {
    const schema = `${prefix}_race`;
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openPostgresTraceStore({ url, schema, pruneIntervalMs: 0 })),
    );
    expect(stores.map((s) => s.kind)).toEqual(["postgres", "postgres", "postgres", "postgres"]);
    for (const s of stores) await s.close();
  });

  it("rejects a schema name that could inject SQL", async () => {
    await expect(openPostgresTraceStore({ url, schema: 'x"; DROP TABLE y; --' })).rejects.toMatchObject({
      code: "TRACE_CONFIG_INVALID",
    });
  });

  it("reports an unreachable server as TRACE_STORE_FAILED", async () => {
    await expect(
      openPostgresTraceStore({ url: "postgres://flm:flm@127.0.0.1:1/none", schema: "x" }),
    ).rejects.toMatchObject({ code: "TRACE_STORE_FAILED" });
  });
});
