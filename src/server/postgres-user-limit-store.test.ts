import { afterAll, describe, expect, it } from "vitest";
import { userLimitStoreContract } from "../../test/contracts/user-limit-store-contract.js";
import { PG_URL, pgTestSchemas } from "../../test/helpers/pg-test-schemas.js";
import { PostgresUserLimitStore } from "./postgres-user-limit-store.js";

const schemas = pgTestSchemas("limits");
afterAll(() => schemas.dropAll());
const opts = new WeakMap<object, { schema: string; windowMs: number }>();

userLimitStoreContract("PostgreSQL (FLM_TEST_PG_URL)", {
  skip: !PG_URL,
  create: async (windowMs) => {
    const schema = schemas.next();
    const store = await PostgresUserLimitStore.open({ url: PG_URL, schema, windowMs, pruneIntervalMs: 0 });
    opts.set(store, { schema, windowMs });
    return store;
  },
  openAnother: (store) =>
    PostgresUserLimitStore.open({ url: PG_URL, ...opts.get(store)!, pruneIntervalMs: 0 }),
});

describe.skipIf(!PG_URL)("PostgreSQL user limits", () => {
  it("a live replica keeps renewing its run slots; a dead one's lapse after the lease", async () => {
    const schema = schemas.next();
    const live = await PostgresUserLimitStore.open({
      url: PG_URL,
      schema,
      leaseMs: 2_000,
      pruneIntervalMs: 0,
    });
    // A replica that stopped renewing (as if SIGKILLed).
    const dead = await PostgresUserLimitStore.open({
      url: PG_URL,
      schema,
      leaseMs: 2_000,
      renewEveryMs: 0,
      pruneIntervalMs: 0,
    });
    const other = await PostgresUserLimitStore.open({ url: PG_URL, schema, pruneIntervalMs: 0 });
    try {
      const one = { runsInFlight: 1 };
      expect(await live.acquire("erin", one, "erin-run")).toEqual({ ok: true });
      expect(await dead.acquire("frank", one, "frank-run")).toEqual({ ok: true });
      await new Promise((r) => setTimeout(r, 2_600));
      expect(await other.acquire("erin", one, "erin-2")).toMatchObject({ ok: false, limit: "runsInFlight" });
      expect(await other.acquire("frank", one, "frank-2")).toEqual({ ok: true });
    } finally {
      await Promise.all([live.close(), dead.close(), other.close()]);
    }
  });
});
