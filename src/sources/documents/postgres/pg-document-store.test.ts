/**
 * The PostgreSQL document store, through the shared contract on three back ends: PGlite (real
 * PostgreSQL in WASM) with the real pgvector extension, PGlite with `real[]` vectors, and the
 * PostgreSQL server at FLM_TEST_PG_URL (no pgvector package on Debian bookworm: array fallback).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashEmbedder, writeTestCorpus } from "../../../../bench/documents-fixtures.js";
import { documentStoreContract } from "../../../../test/contracts/document-index-contract.js";
import {
  askContractRenewal,
  writeContractsFile,
} from "../../../../test/helpers/contract-renewal-scenario.js";
import { type FakeModels, startFakeModels } from "../../../../test/helpers/fake-models.js";
import { createDocumentSource } from "../document-source.js";
import { ingestFolder } from "../ingest-folder.js";
import { openDocumentStore } from "../open-document-store.js";
import { searchDocuments } from "../search-documents.js";
import { PgDocumentStore, type PgDocumentStoreOptions } from "./pg-document-store.js";
import { type PgQueryAdapter, pgliteAdapter, pgPoolAdapter } from "./query-adapter.js";

const PG_URL = process.env.FLM_TEST_PG_URL;
const RUN = `flm_t${process.pid}_${Date.now().toString(36)}`;
let counter = 0;
const nextSchema = () => `${RUN}_${++counter}`;

let lite: PGlite;
let liteDb: PgQueryAdapter;
const ready = (async () => {
  lite = await PGlite.create({ extensions: { vector } });
  liteDb = pgliteAdapter(lite);
})();
beforeAll(() => ready, 120_000);
afterAll(async () => {
  await lite?.close();
});

const openLite = async (options: Omit<PgDocumentStoreOptions, "db"> = {}) => {
  await ready;
  return PgDocumentStore.open({ db: liteDb, schema: nextSchema(), ...options });
};

documentStoreContract("PostgreSQL on PGlite with pgvector (HNSW)", {
  create: async () => {
    const store = await openLite();
    expect(store.vectorBackend).toBe("pgvector");
    return store;
  },
});

documentStoreContract("PostgreSQL on PGlite with real[] vectors", {
  create: async () => {
    const store = await openLite({ vector: "array" });
    expect(store.vectorBackend).toBe("array");
    return store;
  },
});

let pool: pg.Pool | undefined;
const serverSchemas: string[] = [];
if (PG_URL) {
  pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
  afterAll(async () => {
    for (const schema of serverSchemas) await pool!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool!.end();
  });
}

documentStoreContract("PostgreSQL server at FLM_TEST_PG_URL (auto: array fallback without pgvector)", {
  skip: !PG_URL,
  create: async () => {
    const schema = nextSchema();
    serverSchemas.push(schema);
    return PgDocumentStore.open({ db: pgPoolAdapter(pool!), schema });
  },
});

describe("PgDocumentStore specifics (PGlite)", () => {
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "flm-docs-pg-"));
    await writeTestCorpus(join(root, "corpus"), { thirdParty: false });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("stores vectors in vector(d) with an HNSW cosine index and says so", async () => {
    const notices: string[] = [];
    const store = await openLite({ onNotice: (line) => notices.push(line) });
    await ingestFolder(store, join(root, "corpus"), { embedder: hashEmbedder(64) });
    expect(notices).toEqual(["document vectors: pgvector (HNSW index, cosine)"]);
    const { rows } = await lite.query<{ type: string; indexdef: string }>(
      `SELECT format_type(a.atttypid, a.atttypmod) AS type,
              (SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'vectors' AND indexdef LIKE '%hnsw%') AS indexdef
       FROM pg_attribute a WHERE a.attrelid = ($1 || '.vectors')::regclass AND a.attname = 'embedding'`,
      [store.schema],
    );
    expect(rows[0].type).toBe("vector(64)");
    expect(rows[0].indexdef).toContain("vector_cosine_ops");
    await store.close();
  });

  it("a failure inside the per-file transaction rolls back: the old version stays", async () => {
    const store = await openLite();
    await ingestFolder(store, join(root, "corpus"));
    const before = (await store.documents()).get("policies/leave.md");
    // Let the DELETE and the document INSERT run, then fail the chunk INSERT, as a crash would.
    const crashing: PgQueryAdapter = {
      ...liteDb,
      transaction: (fn) =>
        liteDb.transaction((tx) =>
          fn({
            query: async (sql, params) => {
              if (/INSERT INTO .*chunks/s.test(sql)) throw new Error("connection lost");
              return tx.query(sql, params);
            },
          }),
        ),
    };
    const writer = await PgDocumentStore.open({ db: crashing, schema: store.schema });
    await expect(
      writer.replaceDocument({ ...before!, sha256: "new", embedder: undefined }, [
        { ordinal: 0, text: "replacement text", headingPath: [], start: 0, end: 16 },
      ]),
    ).rejects.toThrow("connection lost");
    expect((await store.documents()).get("policies/leave.md")).toEqual(before);
    expect((await searchDocuments(store, "parental leave adoption"))[0].source).toBe("policies/leave.md");
    expect(await store.integrityCheck()).toBe(true);
  });

  it("uses the configured text search language, fixed at creation", async () => {
    const simple = await openLite();
    const english = await openLite({ language: "english" });
    await ingestFolder(simple, join(root, "corpus"));
    await ingestFolder(english, join(root, "corpus"));
    // 'reimbursing' only matches 'reimbursed' with English stemming.
    expect(await searchDocuments(simple, "reimbursing")).toEqual([]);
    expect((await searchDocuments(english, "reimbursing"))[0]).toMatchObject({
      source: "handbook.pdf",
      page: 2,
    });
    await expect(
      PgDocumentStore.open({ db: liteDb, schema: english.schema, language: "simple" }),
    ).rejects.toMatchObject({
      code: "DOC_INDEX_INVALID",
    });
    const reopened = await PgDocumentStore.open({ db: liteDb, schema: english.schema });
    expect(reopened.language).toBe("english");
  });

  it("refuses a missing index, a bad schema name and a vector dimension change with typed errors", async () => {
    await expect(
      PgDocumentStore.open({ db: liteDb, schema: nextSchema(), create: false }),
    ).rejects.toMatchObject({
      code: "DOC_INDEX_NOT_FOUND",
    });
    await expect(PgDocumentStore.open({ db: liteDb, schema: 'x"; DROP' })).rejects.toMatchObject({
      code: "DOC_INDEX_INVALID",
    });
    // The language goes into the generated column's SQL: a programmatic caller cannot pass another.
    for (const language of ["german", "simple'::regconfig, text)) STORED); DROP TABLE x; --"]) {
      const schema = nextSchema();
      await expect(
        PgDocumentStore.open({ db: liteDb, schema, language: language as "simple" }),
      ).rejects.toMatchObject({ code: "DOC_INDEX_INVALID", message: expect.stringContaining("language") });
      const created = await liteDb.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [
        schema,
      ]);
      expect(created.rows).toEqual([]);
    }
    const store = await openLite();
    const chunk = { ordinal: 0, text: "alpha", headingPath: [], start: 0, end: 5 };
    const record = { path: "a.md", type: "markdown" as const, title: "A", sha256: "x", size: 5, mtimeMs: 1 };
    await store.replaceDocument(record, [chunk], [new Float32Array([1, 0, 0])]);
    await expect(
      store.replaceDocument({ ...record, path: "b.md" }, [chunk], [new Float32Array([1, 0])]),
    ).rejects.toMatchObject({ code: "DOC_EMBEDDER_MISMATCH" });
  });
});

describe.skipIf(!PG_URL)("PgDocumentStore on the PostgreSQL server", () => {
  it("opens from a postgres:// URL, falls back to arrays without pgvector, and refuses a forced pgvector", async () => {
    const schema = nextSchema();
    serverSchemas.push(schema);
    const url = `${PG_URL}${PG_URL!.includes("?") ? "&" : "?"}schema=${schema}`;
    await expect(searchDocuments(url, "leave")).rejects.toMatchObject({ code: "DOC_INDEX_NOT_FOUND" });
    const root = mkdtempSync(join(tmpdir(), "flm-docs-pgurl-"));
    try {
      await writeTestCorpus(join(root, "corpus"), { thirdParty: false });
      const notices: string[] = [];
      const report = await ingestFolder(url, join(root, "corpus"), { onNotice: (l) => notices.push(l) });
      expect(report.added).toBe(6);
      expect(notices[0]).toMatch(/^document vectors: (pgvector|real\[\] arrays)/);
      expect((await searchDocuments(url, "parental leave adoption"))[0].source).toBe("policies/leave.md");
      const store = (await openDocumentStore(url)) as PgDocumentStore;
      const available = await pool!.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
      expect(store.vectorBackend).toBe(available.rowCount ? "pgvector" : "array");
      await store.close();
      if (!available.rowCount) {
        const forced = `${PG_URL}${PG_URL!.includes("?") ? "&" : "?"}schema=${nextSchema()}&vector=pgvector`;
        await expect(ingestFolder(forced, join(root, "corpus"))).rejects.toMatchObject({
          code: "DOC_PGVECTOR_UNAVAILABLE",
        });
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("reports an unreachable server clearly", async () => {
    await expect(searchDocuments("postgres://flm:flm@127.0.0.1:1/flm_test", "x")).rejects.toMatchObject({
      code: "DOC_INDEX_UNREACHABLE",
    });
  });
});

describe("search_documents over the PostgreSQL store in a federated run", () => {
  const CANARY = "CANARY-pgdoc-7f3a";
  let models: FakeModels;
  let dir: string;
  beforeAll(async () => {
    models = await startFakeModels();
    dir = mkdtempSync(join(tmpdir(), "flm-docs-pg-agent-"));
    mkdirSync(join(dir, "docs"));
    writeContractsFile(join(dir, "docs"), CANARY);
  });
  afterAll(async () => {
    await models?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps passages (and the canary in them) away from the planner", async () => {
    const store = await openLite();
    const docs = createDocumentSource({
      name: "docs",
      index: store,
      folder: join(dir, "docs"),
      embedder: hashEmbedder(64),
    });
    const { result, local, cloud } = await askContractRenewal(
      models,
      docs,
      "It renews on 1 March 2027 [s1].",
    );

    expect(result.steps[0].status).toBe("ok");
    expect(local).toContain(CANARY);
    expect(local).toContain("contracts.md");
    expect(cloud).toContain("<ORGANIZATION_1>");
    expect(cloud).not.toContain(CANARY);
    expect(cloud).not.toContain("notice period");
    expect((await store.stats()).documents).toBe(1); // the source does not close a store it was given
  });
});
