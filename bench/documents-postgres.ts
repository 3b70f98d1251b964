/**
 * Document retrieval on PostgreSQL: ingest throughput (MB/s) of a generated Markdown corpus of
 * ~10,000 chunks with 256-d embeddings, then keyword (tsvector + GIN, ts_rank_cd) and hybrid
 * (keyword + vectors, RRF) query latency p50/p99, on:
 *   - the PostgreSQL server at FLM_TEST_PG_URL (pgvector if installed, else real[] arrays),
 *   - PGlite (PostgreSQL 17 in WASM, in process) with the real pgvector extension (HNSW).
 * The embedder is an in-process hashed bag-of-words, so the numbers measure flm and PostgreSQL.
 *
 *   FLM_TEST_PG_URL=postgres://… npx tsx bench/documents-postgres.ts [targetChunks=10000] [queries=300]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import pg from "pg";
import { ingestFolder } from "../src/sources/documents/ingest-folder.js";
import { PgDocumentStore } from "../src/sources/documents/postgres/pg-document-store.js";
import { pgliteAdapter, pgPoolAdapter } from "../src/sources/documents/postgres/query-adapter.js";
import {
  benchmarkQueries,
  hashEmbedder,
  percentile,
  timeQueries,
  writeGeneratedCorpus,
} from "./documents-fixtures.js";

const targetChunks = Number(process.argv[2] ?? 10_000);
const QUERIES = Number(process.argv[3] ?? 300);
const root = mkdtempSync(join(tmpdir(), "flm-bench-docs-pg-"));
const schema = `flm_bench_${process.pid}`;

async function run(label: string, store: PgDocumentStore, folder: string, mb: number) {
  const embedder = hashEmbedder(256);
  const report = await ingestFolder(store, folder, { embedder });
  console.log(
    `${label} [${store.vectorBackend}]: ingest ${report.chunks} chunks with 256-d vectors in ${(report.ms / 1000).toFixed(1)} s = ${(mb / (report.ms / 1000)).toFixed(2)} MB/s`,
  );
  const queries = benchmarkQueries(QUERIES);
  for (const [mode, options] of [
    ["keyword", { mode: "keyword" as const }],
    ["hybrid", { embedder, mode: "hybrid" as const }],
  ] as const) {
    const times = await timeQueries(store, queries, options);
    console.log(
      `${label} [${store.vectorBackend}]: ${mode.padEnd(7)} p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms (${QUERIES} queries, limit 5)`,
    );
  }
}

async function main() {
  const folder = join(root, "corpus");
  const bytes = writeGeneratedCorpus(folder, { files: 200, bytes: targetChunks * 880 });
  const mb = bytes / 1e6;
  console.log(`corpus: 200 Markdown files, ${mb.toFixed(1)} MB`);

  const url = process.env.FLM_TEST_PG_URL;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    try {
      const store = await PgDocumentStore.open({ db: pgPoolAdapter(pool), schema });
      await run("server", store, folder, mb);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  } else console.log("FLM_TEST_PG_URL unset: PostgreSQL server skipped");

  const started = performance.now();
  const lite = await PGlite.create({ extensions: { vector } });
  console.log(`PGlite start: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  try {
    const store = await PgDocumentStore.open({ db: pgliteAdapter(lite), schema });
    await run("PGlite", store, folder, mb);
  } finally {
    await lite.close();
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));
