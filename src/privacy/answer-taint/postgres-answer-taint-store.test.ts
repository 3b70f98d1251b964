import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { answerTaintStoreContract } from "../../../test/contracts/answer-taint-store-contract.js";
import { PG_URL, pgTestSchemas } from "../../../test/helpers/pg-test-schemas.js";
import { PostgresAnswerTaintStore } from "./postgres-answer-taint-store.js";

const schemas = pgTestSchemas("taint");
afterAll(() => schemas.dropAll());

answerTaintStoreContract("PostgreSQL (FLM_TEST_PG_URL)", {
  skip: !PG_URL,
  create: () => PostgresAnswerTaintStore.open({ url: PG_URL, schema: schemas.next(), pruneIntervalMs: 0 }),
});

describe.skipIf(!PG_URL)("PostgreSQL answer-taint store across replicas", () => {
  const entry = (value: string) => ({
    value,
    type: "RESULT_VALUE",
    origin: "run-1/s1",
    expiresAt: Date.now() + 60_000,
  });

  it("a value written on one replica is read on another, and a write committed late is not skipped", async () => {
    const schema = schemas.next();
    const [a, c] = await Promise.all([
      PostgresAnswerTaintStore.open({ url: PG_URL, schema, pruneIntervalMs: 0 }),
      PostgresAnswerTaintStore.open({ url: PG_URL, schema, pruneIntervalMs: 0 }),
    ]);
    const raw = new pg.Client({ connectionString: PG_URL });
    await raw.connect();
    try {
      await a.add("user:alice", [entry("Maria Keller")]);
      const first = await c.read("user:alice");
      expect(first.entries.map((e) => e.value)).toEqual(["Maria Keller"]);
      // A slow writer: its row gets an earlier sequence number but commits after a later one.
      await raw.query("BEGIN");
      await raw.query(
        `INSERT INTO "${schema}".answer_taint (subject, type, value_hash, value, origin, expires_at)
         VALUES ('user:alice', 'RESULT_VALUE', sha256('slow'::bytea), 'slow writer value', 'run-2/s1', $1)`,
        [Date.now() + 60_000],
      );
      await a.add("user:alice", [entry("fast writer value")]);
      const second = await c.read("user:alice", { after: first.cursor });
      expect(second.entries.map((e) => e.value)).toEqual(["fast writer value"]);
      await raw.query("COMMIT");
      const third = await c.read("user:alice", { after: second.cursor });
      expect(third.entries.map((e) => e.value)).toEqual(["slow writer value"]);
      expect((await c.read("user:alice", { after: third.cursor })).entries).toEqual([]);
    } finally {
      await raw.end();
      await Promise.all([a.close(), c.close()]);
    }
  });

  it("several replicas opening at once migrate once", async () => {
    const schema = schemas.next();
    const stores = await Promise.all(
      Array.from({ length: 5 }, () =>
        PostgresAnswerTaintStore.open({ url: PG_URL, schema, pruneIntervalMs: 0 }),
      ),
    );
    await Promise.all(stores.map((s) => s.close()));
    const raw = new pg.Client({ connectionString: PG_URL });
    await raw.connect();
    try {
      const { rows } = await raw.query(`SELECT component, version FROM "${schema}".flm_migrations`);
      expect(rows).toEqual([{ component: "answer-taint", version: 1 }]);
    } finally {
      await raw.end();
    }
  });
});
