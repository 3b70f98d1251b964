import { afterAll, describe, expect, it } from "vitest";
import { PG_URL, pgTestSchemas } from "../../test/helpers/pg-test-schemas.js";
import { type Migration, migrate } from "./migrate.js";
import { openPgPool } from "./pg-pool.js";
import { isPgUnavailable, StateStoreError, StateStoreUnavailableError } from "./state-errors.js";

const schemas = pgTestSchemas("migrate");
afterAll(() => schemas.dropAll());

const v1: Migration = {
  version: 1,
  statements: ["CREATE TABLE IF NOT EXISTS {schema}.things (id int PRIMARY KEY)"],
};
const v2: Migration = { version: 2, statements: ["ALTER TABLE {schema}.things ADD COLUMN name text"] };

describe("isPgUnavailable", () => {
  it("tells an unreachable server from a bad statement", () => {
    expect(isPgUnavailable(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(
      true,
    );
    expect(isPgUnavailable(Object.assign(new Error("terminating connection"), { code: "57P01" }))).toBe(true);
    expect(isPgUnavailable(Object.assign(new Error("conn"), { code: "08006" }))).toBe(true);
    expect(isPgUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isPgUnavailable(Object.assign(new Error("syntax error"), { code: "42601" }))).toBe(false);
  });
});

describe.skipIf(!PG_URL)("migrate", () => {
  it("applies each version once, even when replicas start together, and refuses a newer schema", async () => {
    const schema = schemas.next();
    const pools = await Promise.all(Array.from({ length: 4 }, () => openPgPool({ url: PG_URL!, max: 1 })));
    try {
      const applied = await Promise.all(pools.map((p) => migrate(p, schema, "things", [v1])));
      expect(applied.flat()).toEqual([1]);
      expect(await migrate(pools[0]!, schema, "things", [v1, v2])).toEqual([2]);
      expect(await migrate(pools[1]!, schema, "things", [v2, v1])).toEqual([]);
      const error = await migrate(pools[2]!, schema, "things", [v1]).catch((e: unknown) => e);
      expect(StateStoreError.isInstance(error)).toBe(true);
      expect(String(error)).toMatch(/version 2, newer than this flm knows \(1\)/);
      const { rows } = await pools[0]!.query(`SELECT name FROM "${schema}".things`);
      expect(rows).toEqual([]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it("reports an unreachable server as STATE_STORE_UNAVAILABLE", async () => {
    const pool = await openPgPool({ url: "postgres://flm:flm@127.0.0.1:9/none", connectTimeoutMs: 2_000 });
    try {
      const error = await migrate(pool, schemas.next(), "things", [v1]).catch((e: unknown) => e);
      expect(StateStoreUnavailableError.isInstance(error)).toBe(true);
      expect((error as StateStoreUnavailableError).code).toBe("STATE_STORE_UNAVAILABLE");
    } finally {
      await pool.end();
    }
  });
});
