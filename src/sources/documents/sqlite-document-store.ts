import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Chunk } from "./chunker.js";
import { DocumentError } from "./document-errors.js";
import type {
  DocumentRecord,
  DocumentStore,
  IndexStats,
  RankedChunk,
  StoredDocument,
} from "./document-store.js";
import { toFtsQuery } from "./fts-query.js";
import { type ChunkRow, type Passage, passagesInRankOrder } from "./passage.js";
import { filterSql, type SearchFilters } from "./search-filters.js";
import { fromBlob, toBlob, topByDot, type VectorMatrix } from "./vector-math.js";

const SCHEMA_VERSION = "1";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  title TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  chunk_count INTEGER NOT NULL,
  embedder TEXT,
  ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  title TEXT NOT NULL,
  heading TEXT NOT NULL,
  text TEXT NOT NULL,
  page INTEGER,
  start_offset INTEGER NOT NULL,
  end_offset INTEGER NOT NULL,
  UNIQUE (document_id, ordinal)
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
  title, heading, text,
  content = 'chunks', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts (rowid, title, heading, text) VALUES (new.id, new.title, new.heading, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts (chunks_fts, rowid, title, heading, text) VALUES ('delete', old.id, old.title, old.heading, old.text);
END;
CREATE TABLE IF NOT EXISTS vectors (
  chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
  vector BLOB NOT NULL
);
`;

// Column weights for bm25(): a hit in a heading or title says more than one in body text.
const BM25 = "bm25(chunks_fts, 2.0, 3.0, 1.0)";

interface VectorCache extends VectorMatrix {
  key: string;
}

/**
 * The SQLite index: documents, chunks, an FTS5 table kept in sync by triggers, and optional
 * unit-length Float32 vectors. WAL mode, so searches run while an ingest writes. Each file's
 * replacement is one transaction: readers see the old version or the new one, never half.
 */
export class SqliteDocumentStore implements DocumentStore {
  readonly path: string;
  private readonly db: Database.Database;
  private writes = 0;
  private vectorCache?: VectorCache;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
  }

  /** Opens (and with `create`, creates) an index file. */
  static open(path: string, options: { create?: boolean; readonly?: boolean } = {}): SqliteDocumentStore {
    if (!options.create && !existsSync(path)) {
      throw new DocumentError("DOC_INDEX_NOT_FOUND", `No document index at ${path}.`, {
        hint: "Ingest a folder first (ingestFolder / `flm docs ingest <folder>`).",
      });
    }
    if (options.create) mkdirSync(dirname(path), { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: options.readonly ?? false });
      db.pragma("busy_timeout = 5000");
      if (!options.readonly) {
        db.pragma("journal_mode = WAL");
        db.pragma("synchronous = NORMAL");
      }
      db.pragma("foreign_keys = ON");
      if (!options.readonly) db.exec(SCHEMA);
      const version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
        | { value: string }
        | undefined;
      if (!version && !options.readonly) {
        db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(SCHEMA_VERSION);
      } else if (version && version.value !== SCHEMA_VERSION) {
        throw new Error(`schema version ${version.value}, expected ${SCHEMA_VERSION}`);
      }
    } catch (cause) {
      if (DocumentError.isInstance(cause)) throw cause;
      throw new DocumentError("DOC_INDEX_INVALID", `${path} is not a usable document index.`, {
        cause,
        hint: `Delete it and ingest again (${(cause as Error)?.message ?? cause}).`,
      });
    }
    return new SqliteDocumentStore(path, db);
  }

  getMeta(key: string): string | undefined {
    return (this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)
      ?.value;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      )
      .run(key, value);
  }

  documents(): Map<string, StoredDocument> {
    const rows = this.db
      .prepare(
        `SELECT id, path, type, title, sha256, size, mtime_ms AS mtimeMs, chunk_count AS chunkCount, embedder
         FROM documents`,
      )
      .all() as StoredDocument[];
    return new Map(rows.map((row) => [row.path, row]));
  }

  /** Replaces (or adds) one document with its chunks and vectors, atomically. */
  replaceDocument(record: DocumentRecord, chunks: readonly Chunk[], vectors?: readonly Float32Array[]): void {
    const deleteOld = this.db.prepare("DELETE FROM documents WHERE path = ?");
    const deleteChunks = this.db.prepare(
      "DELETE FROM chunks WHERE document_id IN (SELECT id FROM documents WHERE path = ?)",
    );
    const insertDoc = this.db.prepare(
      `INSERT INTO documents (path, type, title, sha256, size, mtime_ms, chunk_count, embedder, ingested_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertChunk = this.db.prepare(
      `INSERT INTO chunks (document_id, ordinal, title, heading, text, page, start_offset, end_offset)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertVector = this.db.prepare("INSERT INTO vectors (chunk_id, vector) VALUES (?, ?)");
    this.db.transaction(() => {
      deleteChunks.run(record.path);
      deleteOld.run(record.path);
      const docId = insertDoc.run(
        record.path,
        record.type,
        record.title,
        record.sha256,
        record.size,
        record.mtimeMs,
        chunks.length,
        record.embedder ?? null,
        new Date().toISOString(),
      ).lastInsertRowid;
      chunks.forEach((chunk, i) => {
        const chunkId = insertChunk.run(
          docId,
          chunk.ordinal,
          record.title,
          chunk.headingPath.join(" > "),
          chunk.text,
          chunk.page ?? null,
          chunk.start,
          chunk.end,
        ).lastInsertRowid;
        if (vectors) insertVector.run(chunkId, toBlob(vectors[i]));
      });
    })();
    this.writes++;
  }

  /** Records a new mtime for a file whose content (sha256) did not change. */
  touchDocument(path: string, mtimeMs: number, size: number): void {
    this.db.prepare("UPDATE documents SET mtime_ms = ?, size = ? WHERE path = ?").run(mtimeMs, size, path);
  }

  removeDocument(path: string): void {
    this.db.transaction(() => {
      this.db
        .prepare("DELETE FROM chunks WHERE document_id IN (SELECT id FROM documents WHERE path = ?)")
        .run(path);
      this.db.prepare("DELETE FROM documents WHERE path = ?").run(path);
    })();
    this.writes++;
  }

  /** Deletes every vector and clears the embedder record (the embedder changed or was dropped). */
  clearVectors(): void {
    this.db.transaction(() => {
      this.db.exec("DELETE FROM vectors; UPDATE documents SET embedder = NULL;");
      this.db.prepare("DELETE FROM meta WHERE key IN ('embedder', 'dimensions')").run();
    })();
    this.writes++;
  }

  /** BM25 ranking for free text (made safe by `toFtsQuery`). */
  searchKeywords(query: string, filters: SearchFilters | undefined, limit: number): RankedChunk[] {
    const fts = toFtsQuery(query);
    return fts ? this.keywordSearch(fts, filters, limit) : [];
  }

  /** BM25 ranking (FTS5's bm25() is lower-is-better; the score returned is its negation). */
  keywordSearch(ftsQuery: string, filters: SearchFilters | undefined, limit: number): RankedChunk[] {
    const filter = filterSql(filters);
    const rows = this.db
      .prepare(
        `SELECT c.id AS chunkId, ${BM25} AS rank
         FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid JOIN documents d ON d.id = c.document_id
         WHERE chunks_fts MATCH ? AND ${filter.where}
         ORDER BY rank LIMIT ?`,
      )
      .all(ftsQuery, ...filter.params, limit) as { chunkId: number; rank: number }[];
    return rows.map((row) => ({ chunkId: row.chunkId, score: -row.rank }));
  }

  /**
   * Brute-force cosine similarity over all stored vectors, held in memory between queries and
   * reloaded when the index changes. Linear in the number of chunks: a few ms per query at
   * 10k chunks, fine up to ~100k; beyond that use an ANN index (e.g. pgvector HNSW).
   */
  vectorSearch(query: Float32Array, filters: SearchFilters | undefined, limit: number): RankedChunk[] {
    const cache = this.loadVectors();
    if (!cache || cache.ids.length === 0) return [];
    if (query.length !== cache.dims) {
      throw new DocumentError(
        "DOC_EMBEDDER_MISMATCH",
        `The query vector has ${query.length} dimensions but the index holds ${cache.dims}.`,
        { hint: "Search with the embedder the folder was ingested with, or re-ingest with the new one." },
      );
    }
    let allowed: Set<number> | undefined;
    if (filters?.path || filters?.type) {
      const filter = filterSql(filters);
      allowed = new Set(
        (
          this.db
            .prepare(
              `SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id WHERE ${filter.where}`,
            )
            .pluck()
            .all(...filter.params) as number[]
        ).map(Number),
      );
    }
    return topByDot(query, cache, limit, allowed);
  }

  /** Loads the passages for chunk ids, in the order given, with the given scores. */
  passages(ranked: readonly RankedChunk[]): Passage[] {
    if (ranked.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT c.id, c.ordinal, c.title, c.heading, c.text, c.page, c.start_offset AS start, c.end_offset AS "end", d.path
         FROM chunks c JOIN documents d ON d.id = c.document_id
         WHERE c.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ranked.map((r) => r.chunkId))) as ChunkRow[];
    return passagesInRankOrder(ranked, rows);
  }

  stats(): IndexStats {
    const one = (sql: string) => Number(this.db.prepare(sql).pluck().get() ?? 0);
    const dimensions = this.getMeta("dimensions");
    return {
      documents: one("SELECT count(*) FROM documents"),
      chunks: one("SELECT count(*) FROM chunks"),
      vectors: one("SELECT count(*) FROM vectors"),
      bytes: one("SELECT coalesce(sum(size), 0) FROM documents"),
      embedder: this.getMeta("embedder"),
      dimensions: dimensions ? Number(dimensions) : undefined,
      root: this.getMeta("root"),
    };
  }

  /** Checks FTS5 and the table contents agree (used by tests and `check()`). */
  integrityCheck(): boolean {
    try {
      this.db.prepare("INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('integrity-check', 1)").run();
      const orphans = this.db
        .prepare(
          `SELECT (SELECT count(*) FROM chunks WHERE document_id NOT IN (SELECT id FROM documents))
                + (SELECT count(*) FROM vectors WHERE chunk_id NOT IN (SELECT id FROM chunks))
                + (SELECT count(*) FROM documents d WHERE chunk_count != (SELECT count(*) FROM chunks c WHERE c.document_id = d.id))`,
        )
        .pluck()
        .get() as number;
      return orphans === 0;
    } catch {
      return false;
    }
  }

  close(): void {
    this.vectorCache = undefined;
    if (this.db.open) this.db.close();
  }

  private loadVectors(): VectorCache | undefined {
    // data_version changes when another connection commits; `writes` covers this one.
    const key = `${this.db.pragma("data_version", { simple: true })}:${this.writes}`;
    if (this.vectorCache?.key === key) return this.vectorCache;
    const rows = this.db.prepare("SELECT chunk_id AS id, vector FROM vectors ORDER BY chunk_id").all() as {
      id: number;
      vector: Buffer;
    }[];
    if (rows.length === 0) {
      this.vectorCache = { key, ids: new Int32Array(0), matrix: new Float32Array(0), dims: 0 };
      return this.vectorCache;
    }
    const dims = rows[0].vector.byteLength / 4;
    const ids = new Int32Array(rows.length);
    const matrix = new Float32Array(rows.length * dims);
    rows.forEach((row, i) => {
      ids[i] = row.id;
      matrix.set(fromBlob(row.vector), i * dims);
    });
    this.vectorCache = { key, ids, matrix, dims };
    return this.vectorCache;
  }
}

/** @deprecated Renamed: use SqliteDocumentStore (beside PgDocumentStore). */
export const DocumentIndex = SqliteDocumentStore;
/** @deprecated Renamed: use SqliteDocumentStore. */
export type DocumentIndex = SqliteDocumentStore;
