/**
 * Document retrieval benchmark: ingest throughput (MB/s) on a generated Markdown corpus of
 * ~10,000 chunks, then query latency p50/p99 for keyword (FTS5 BM25) and hybrid (BM25 +
 * brute-force cosine over 256-d vectors, RRF) search. The embedder is an in-process hashed
 * bag-of-words, so the numbers measure flm, not an embedding model.
 *
 *   npx tsx bench/documents-search.ts [targetChunks=10000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteDocumentStore } from "../src/sources/documents/sqlite-document-store.js";
import { ingestFolder } from "../src/sources/documents/ingest-folder.js";
import {
  benchmarkQueries,
  hashEmbedder,
  percentile,
  timeQueries,
  writeGeneratedCorpus,
} from "./documents-fixtures.js";

const targetChunks = Number(process.argv[2] ?? 10_000);
const QUERIES = 1000;
const root = mkdtempSync(join(tmpdir(), "flm-bench-docs-"));

async function main() {
  const folder = join(root, "corpus");
  // ~880 new characters per 1000-char chunk with 150 overlap.
  const bytes = writeGeneratedCorpus(folder, { files: 200, bytes: targetChunks * 880 });
  const mb = bytes / 1e6;
  console.log(`corpus: 200 Markdown files, ${mb.toFixed(1)} MB`);

  const embedder = hashEmbedder(256);
  const keywordPath = join(root, "keyword.sqlite");
  const hybridPath = join(root, "hybrid.sqlite");
  const keyword = await ingestFolder(keywordPath, folder);
  console.log(
    `ingest keyword-only: ${keyword.chunks} chunks in ${(keyword.ms / 1000).toFixed(2)} s = ${(mb / (keyword.ms / 1000)).toFixed(2)} MB/s`,
  );
  const hybrid = await ingestFolder(hybridPath, folder, { embedder });
  console.log(
    `ingest with embeddings (in-process 256-d): ${(hybrid.ms / 1000).toFixed(2)} s = ${(mb / (hybrid.ms / 1000)).toFixed(2)} MB/s`,
  );
  const again = await ingestFolder(keywordPath, folder);
  console.log(`re-ingest, nothing changed: ${again.ms} ms (${again.unchanged} files unchanged)`);

  const queries = benchmarkQueries(QUERIES);

  for (const [label, path, options] of [
    ["keyword", keywordPath, {}],
    ["hybrid", hybridPath, { embedder }],
  ] as const) {
    const index = SqliteDocumentStore.open(path);
    const times = await timeQueries(index, queries, options);
    index.close();
    console.log(
      `query ${label.padEnd(7)} over ${keyword.chunks} chunks: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms (${QUERIES} queries, limit 5)`,
    );
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));
