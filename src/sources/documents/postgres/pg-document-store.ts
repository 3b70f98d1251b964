import type { Chunk } from "../chunker.js";
import type {
  DocumentRecord,
  DocumentStore,
  IndexStats,
  RankedChunk,
  StoredDocument,
} from "../document-store.js";
import { DocumentError } from "../document-errors.js";
import { queryTerms } from "../fts-query.js";
import { type ChunkRow, type Passage, passagesInRankOrder } from "../passage.js";
import type { SearchFilters } from "../search-filters.js";
import { topByDot, type VectorMatrix } from "../vector-math.js";
import type { TextSearchLanguage, VectorBackendChoice } from "./pg-index-url.js";
import { pgFilterSql } from "./pg-filters.js";
import type { PgQueryable, PgQueryAdapter } from "./query-adapter.js";

export type VectorBackend = "pgvector" | "array";

export interface PgDocumentStoreOptions {
  db: PgQueryAdapter;
  /** Schema holding the index tables (created if missing). Default `flm_docs`. */
  schema?: string;
  /**
   * Text search configuration, fixed when the index is created: `simple` (default; lower-cases,
   * no stemming, works for any language) or `english` (stemming and stopwords).
   */
  language?: TextSearchLanguage;
  /** `auto` (default): pgvector when the `vector` extension can be used, else `real[]` arrays. */
  vector?: VectorBackendChoice;
  /** Create the schema when it holds no index yet. Default true. */
  create?: boolean;
  /** Shown in messages. */
  label?: string;
  /** Receives the one-line notice saying which vector backend is in use. */
  onNotice?: (line: string) => void;
}

const SCHEMA_VERSION = "1";
const TEXT_SEARCH_LANGUAGES: readonly string[] = ["simple", "english"] satisfies TextSearchLanguage[];
const DEFAULT_SCHEMA = "flm_docs";
// ts_rank_cd weights in {D, C, B, A} order: body (D) 1, title (A) 2, heading (B) 3, as in the SQLite BM25.
const WEIGHTS = "{0.2, 0.2, 0.6, 0.4}";
// Normalisation 1: divide by 1 + log(length), so long chunks do not win by size alone.
const RANK_NORMALISATION = 1;
// pgvector's HNSW index supports up to 2000 dimensions for `vector`; beyond that searches scan.
const HNSW_MAX_DIMS = 2000;

interface VectorCache extends VectorMatrix {
  key: string;
}

/**
 * The document index in PostgreSQL: keyword search with a generated `tsvector` column, a GIN
 * index and `ts_rank_cd`; vectors in a pgvector `vector(d)` column with an HNSW (cosine) index
 * when the extension is available, else in `real[]` with cosine computed in process over a
 * cached copy. Each document is replaced in one transaction.
 */
export class PgDocumentStore implements DocumentStore {
  readonly path: string;
  readonly schema: string;
  readonly language: TextSearchLanguage;
  readonly vectorBackend: VectorBackend;
  /** One line saying which vector backend is in use, and why. */
  readonly notice: string;
  private readonly db: PgQueryAdapter;
  private readonly s: string;
  private vectorCache?: VectorCache;

  private constructor(
    db: PgQueryAdapter,
    schema: string,
    label: string,
    language: TextSearchLanguage,
    backend: VectorBackend,
    notice: string,
  ) {
    this.db = db;
    this.schema = schema;
    this.s = `"${schema}"`;
    this.path = label;
    this.language = language;
    this.vectorBackend = backend;
    this.notice = notice;
  }

  static async open(options: PgDocumentStoreOptions): Promise<PgDocumentStore> {
    const schema = options.schema ?? DEFAULT_SCHEMA;
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new DocumentError("DOC_INDEX_INVALID", `"${schema}" is not a usable schema name.`, {
        hint: "Use letters, digits and underscores, starting with a letter.",
      });
    }
    // The language is spliced into the generated tsvector column's SQL: only known names pass.
    if (options.language !== undefined && !TEXT_SEARCH_LANGUAGES.includes(options.language)) {
      throw new DocumentError("DOC_INDEX_INVALID", `Unknown text search language "${options.language}".`, {
        hint: `Use one of: ${TEXT_SEARCH_LANGUAGES.join(", ")}.`,
      });
    }
    const label = options.label ?? `postgres schema ${schema}`;
    const db = options.db;
    const s = `"${schema}"`;
    try {
      const exists = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'meta'",
        [schema],
      );
      const fresh = exists.rows[0].n === 0;
      if (fresh && options.create === false) {
        throw new DocumentError("DOC_INDEX_NOT_FOUND", `No document index in ${label}.`, {
          hint: "Ingest a folder first (ingestFolder / `flm docs ingest <folder>`).",
        });
      }
      const backend = await chooseBackend(db, s, options.vector ?? "auto", fresh);
      const language = await db.transaction(async (tx) => {
        // Serialise concurrent first opens of the same schema.
        await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`flm_docs:${schema}`]);
        await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
        await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.meta (key text PRIMARY KEY, value text NOT NULL)`);
        const meta = new Map(
          (await tx.query<{ key: string; value: string }>(`SELECT key, value FROM ${s}.meta`)).rows.map(
            (r) => [r.key, r.value],
          ),
        );
        const version = meta.get("schema_version");
        if (version && version !== SCHEMA_VERSION) {
          throw new Error(`schema version ${version}, expected ${SCHEMA_VERSION}`);
        }
        const stored = meta.get("language") as TextSearchLanguage | undefined;
        if (stored && options.language && stored !== options.language) {
          throw new DocumentError(
            "DOC_INDEX_INVALID",
            `${label} was built with text search language "${stored}", not "${options.language}".`,
            { hint: "Use the same language, or ingest into another schema." },
          );
        }
        const language = stored ?? options.language ?? "simple";
        if (!TEXT_SEARCH_LANGUAGES.includes(language)) throw new Error(`text search language "${language}"`);
        const storedBackend = meta.get("vector_backend");
        if (storedBackend && storedBackend !== backend.backend) {
          throw new DocumentError(
            "DOC_INDEX_INVALID",
            `${label} stores vectors as ${storedBackend}, but ${backend.backend} was chosen.`,
            { hint: "Open it with vector=auto, or ingest into another schema." },
          );
        }
        if (!version) await createTables(tx, s, language, backend.backend);
        return language;
      });
      const store = new PgDocumentStore(db, schema, label, language, backend.backend, backend.notice);
      options.onNotice?.(backend.notice);
      return store;
    } catch (cause) {
      if (DocumentError.isInstance(cause)) throw cause;
      const code = (cause as { code?: string })?.code;
      if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "28P01" || code === "3D000") {
        throw new DocumentError("DOC_INDEX_UNREACHABLE", `Cannot connect to ${label}.`, {
          cause,
          hint: `Check the URL, that PostgreSQL runs and accepts this user (${(cause as Error).message}).`,
        });
      }
      throw new DocumentError("DOC_INDEX_INVALID", `${label} is not a usable document index.`, {
        cause,
        hint: `Drop the schema and ingest again (${(cause as Error)?.message ?? cause}).`,
      });
    }
  }

  async getMeta(key: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ value: string }>(
      `SELECT value FROM ${this.s}.meta WHERE key = $1`,
      [key],
    );
    return rows[0]?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await setMeta(this.db, this.s, key, value);
  }

  async documents(): Promise<Map<string, StoredDocument>> {
    const { rows } = await this.db.query<StoredDocument>(
      `SELECT id, path, type, title, sha256, size::float8 AS size, mtime_ms AS "mtimeMs",
              chunk_count AS "chunkCount", embedder
       FROM ${this.s}.documents`,
    );
    return new Map(rows.map((row) => [row.path, row]));
  }

  async replaceDocument(
    record: DocumentRecord,
    chunks: readonly Chunk[],
    vectors?: readonly Float32Array[],
  ): Promise<void> {
    const dims = vectors?.[0]?.length;
    if (vectors && (vectors.length !== chunks.length || vectors.some((v) => v.length !== dims))) {
      throw new DocumentError(
        "DOC_EMBEDDER_MISMATCH",
        `${record.path}: one vector per chunk, all the same length.`,
        {
          hint: "Check the embedder returns one vector per input.",
        },
      );
    }
    await this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM ${this.s}.documents WHERE path = $1`, [record.path]);
      const doc = await tx.query<{ id: number }>(
        `INSERT INTO ${this.s}.documents (path, type, title, sha256, size, mtime_ms, chunk_count, embedder)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          record.path,
          record.type,
          clean(record.title),
          record.sha256,
          record.size,
          record.mtimeMs,
          chunks.length,
          record.embedder ?? null,
        ],
      );
      const inserted = await tx.query<{ id: number; ordinal: number }>(
        `INSERT INTO ${this.s}.chunks (document_id, ordinal, title, heading, text, page, start_offset, end_offset)
         SELECT $1, u.o, $2, u.h, u.t, u.p, u.s, u.e
         FROM unnest($3::int[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[]) AS u(o, h, t, p, s, e)
         RETURNING id, ordinal`,
        [
          doc.rows[0].id,
          clean(record.title),
          chunks.map((c) => c.ordinal),
          chunks.map((c) => clean(c.headingPath.join(" > "))),
          chunks.map((c) => clean(c.text)),
          chunks.map((c) => c.page ?? null),
          chunks.map((c) => c.start),
          chunks.map((c) => c.end),
        ],
      );
      if (!vectors || dims === undefined) return;
      await this.ensureVectorTable(tx, dims);
      const idByOrdinal = new Map(inserted.rows.map((r) => [Number(r.ordinal), Number(r.id)]));
      const [open, close, cast] =
        this.vectorBackend === "pgvector" ? ["[", "]", "vector"] : ["{", "}", "real[]"];
      await tx.query(
        `INSERT INTO ${this.s}.vectors (chunk_id, embedding)
         SELECT u.c, u.e::${cast} FROM unnest($1::int[], $2::text[]) AS u(c, e)`,
        [
          chunks.map((c) => idByOrdinal.get(c.ordinal)),
          vectors.map((v) => `${open}${Array.from(v).join(",")}${close}`),
        ],
      );
    });
  }

  async touchDocument(path: string, mtimeMs: number, size: number): Promise<void> {
    await this.db.query(`UPDATE ${this.s}.documents SET mtime_ms = $1, size = $2 WHERE path = $3`, [
      mtimeMs,
      size,
      path,
    ]);
  }

  async removeDocument(path: string): Promise<void> {
    // Chunks and vectors go with it (ON DELETE CASCADE), in the statement's own transaction.
    await this.db.query(`DELETE FROM ${this.s}.documents WHERE path = $1`, [path]);
  }

  async clearVectors(): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Dropped, not emptied: the next embedder may have another dimension.
      await tx.query(`DROP TABLE IF EXISTS ${this.s}.vectors`);
      await tx.query(`UPDATE ${this.s}.documents SET embedder = NULL`);
      await tx.query(`DELETE FROM ${this.s}.meta WHERE key IN ('embedder', 'dimensions')`);
    });
    this.vectorCache = undefined;
  }

  /**
   * Terms OR-ed (as in the SQLite index) through `websearch_to_tsquery`, which never raises a
   * syntax error; ranked by `ts_rank_cd` (cover density: matched terms close together score
   * higher) with title/heading weights and length normalisation. Unlike BM25 it has no IDF.
   */
  async searchKeywords(
    query: string,
    filters: SearchFilters | undefined,
    limit: number,
  ): Promise<RankedChunk[]> {
    const terms = queryTerms(query).filter((t) => t !== "or");
    if (terms.length === 0) return [];
    const filter = pgFilterSql(filters, 4);
    const { rows } = await this.db.query<{ id: number; score: number }>(
      `SELECT c.id, ts_rank_cd('${WEIGHTS}'::float4[], c.tsv, q, ${RANK_NORMALISATION})::float8 AS score
       FROM websearch_to_tsquery($1::regconfig, $2) AS q, ${this.s}.chunks c
       JOIN ${this.s}.documents d ON d.id = c.document_id
       WHERE c.tsv @@ q AND ${filter.where}
       ORDER BY score DESC, c.id LIMIT $3`,
      [this.language, terms.join(" or "), limit, ...filter.params],
    );
    return rows.map((r) => ({ chunkId: Number(r.id), score: Number(r.score) }));
  }

  async vectorSearch(
    query: Float32Array,
    filters: SearchFilters | undefined,
    limit: number,
  ): Promise<RankedChunk[]> {
    const dims = Number((await this.getMeta("dimensions")) ?? 0);
    if (!dims || !(await this.hasVectorTable())) return [];
    if (query.length !== dims) {
      throw new DocumentError(
        "DOC_EMBEDDER_MISMATCH",
        `The query vector has ${query.length} dimensions but ${this.path} holds ${dims}.`,
        { hint: "Search with the embedder the folder was ingested with, or re-ingest with the new one." },
      );
    }
    return this.vectorBackend === "pgvector"
      ? this.pgvectorSearch(query, filters, limit)
      : this.arraySearch(query, filters, limit);
  }

  async passages(ranked: readonly RankedChunk[]): Promise<Passage[]> {
    if (ranked.length === 0) return [];
    const { rows } = await this.db.query<ChunkRow>(
      `SELECT c.id, c.ordinal, c.title, c.heading, c.text, c.page, c.start_offset AS start, c.end_offset AS "end", d.path
       FROM ${this.s}.chunks c JOIN ${this.s}.documents d ON d.id = c.document_id
       WHERE c.id = ANY($1::int[])`,
      [ranked.map((r) => r.chunkId)],
    );
    return passagesInRankOrder(ranked, rows);
  }

  async stats(): Promise<IndexStats> {
    const hasVectors = await this.hasVectorTable();
    const { rows } = await this.db.query<{
      documents: number;
      chunks: number;
      bytes: number;
      vectors: number;
    }>(
      `SELECT (SELECT count(*) FROM ${this.s}.documents)::int AS documents,
              (SELECT count(*) FROM ${this.s}.chunks)::int AS chunks,
              (SELECT coalesce(sum(size), 0) FROM ${this.s}.documents)::float8 AS bytes,
              ${hasVectors ? `(SELECT count(*) FROM ${this.s}.vectors)::int` : "0"} AS vectors`,
    );
    const dimensions = await this.getMeta("dimensions");
    return {
      ...rows[0],
      embedder: await this.getMeta("embedder"),
      dimensions: dimensions ? Number(dimensions) : undefined,
      root: await this.getMeta("root"),
    };
  }

  async integrityCheck(): Promise<boolean> {
    try {
      const hasVectors = await this.hasVectorTable();
      const { rows } = await this.db.query<{ n: number }>(
        `SELECT ((SELECT count(*) FROM ${this.s}.documents d
                  WHERE chunk_count != (SELECT count(*) FROM ${this.s}.chunks c WHERE c.document_id = d.id))
               + (SELECT count(*) FROM ${this.s}.chunks WHERE tsv IS NULL)
               ${hasVectors ? `+ (SELECT count(*) FROM ${this.s}.vectors v WHERE NOT EXISTS (SELECT 1 FROM ${this.s}.chunks c WHERE c.id = v.chunk_id))` : ""})::int AS n`,
      );
      return rows[0].n === 0;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.vectorCache = undefined;
    await this.db.close();
  }

  private async hasVectorTable(): Promise<boolean> {
    const { rows } = await this.db.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [
      `${this.s}.vectors`,
    ]);
    return rows[0].t !== null;
  }

  private async ensureVectorTable(tx: PgQueryable, dims: number): Promise<void> {
    const stored = (
      await tx.query<{ value: string }>(`SELECT value FROM ${this.s}.meta WHERE key = 'vector_dimensions'`)
    ).rows[0]?.value;
    const exists = (
      await tx.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [`${this.s}.vectors`])
    ).rows[0].t;
    if (exists && stored && Number(stored) !== dims) {
      throw new DocumentError(
        "DOC_EMBEDDER_MISMATCH",
        `The embedder returned ${dims}-dimensional vectors but ${this.path} holds ${stored}.`,
        { hint: "Use the embedder the index was built with, or re-ingest everything with the new one." },
      );
    }
    if (exists) return;
    if (this.vectorBackend === "pgvector") {
      await tx.query(
        `CREATE TABLE ${this.s}.vectors (
           chunk_id integer PRIMARY KEY REFERENCES ${this.s}.chunks(id) ON DELETE CASCADE,
           embedding vector(${dims}) NOT NULL)`,
      );
      if (dims <= HNSW_MAX_DIMS) {
        await tx.query(`CREATE INDEX ON ${this.s}.vectors USING hnsw (embedding vector_cosine_ops)`);
      }
    } else {
      await tx.query(
        `CREATE TABLE ${this.s}.vectors (
           chunk_id integer PRIMARY KEY REFERENCES ${this.s}.chunks(id) ON DELETE CASCADE,
           embedding real[] NOT NULL)`,
      );
    }
    await setMeta(tx, this.s, "vector_dimensions", String(dims));
  }

  private async pgvectorSearch(
    query: Float32Array,
    filters: SearchFilters | undefined,
    limit: number,
  ): Promise<RankedChunk[]> {
    const filter = pgFilterSql(filters, 3);
    return this.db.transaction(async (tx) => {
      // HNSW returns at most ef_search rows; raise it to the candidate count. With a filter,
      // iterative scans (pgvector 0.8) keep searching until enough rows pass it.
      await tx.query("SELECT set_config('hnsw.ef_search', $1, true)", [String(Math.max(limit, 40))]);
      if (filter.params.length > 0) {
        await tx.query("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)");
      }
      const { rows } = await tx.query<{ id: number; distance: number }>(
        `SELECT v.chunk_id AS id, (v.embedding <=> $1::vector)::float8 AS distance
         FROM ${this.s}.vectors v
         JOIN ${this.s}.chunks c ON c.id = v.chunk_id
         JOIN ${this.s}.documents d ON d.id = c.document_id
         WHERE ${filter.where}
         ORDER BY v.embedding <=> $1::vector LIMIT $2`,
        [`[${Array.from(query).join(",")}]`, limit, ...filter.params],
      );
      // relaxed_order may return near-sorted rows: sort exactly.
      return rows
        .map((r) => ({ chunkId: Number(r.id), score: 1 - Number(r.distance) }))
        .sort((a, b) => b.score - a.score);
    });
  }

  /** Without pgvector: brute-force cosine in process over all vectors, cached until the table changes. */
  private async arraySearch(
    query: Float32Array,
    filters: SearchFilters | undefined,
    limit: number,
  ): Promise<RankedChunk[]> {
    const cache = await this.loadVectors();
    if (cache.ids.length === 0) return [];
    let allowed: Set<number> | undefined;
    if (filters?.path || filters?.type) {
      const filter = pgFilterSql(filters, 1);
      const { rows } = await this.db.query<{ id: number }>(
        `SELECT c.id FROM ${this.s}.chunks c JOIN ${this.s}.documents d ON d.id = c.document_id WHERE ${filter.where}`,
        filter.params,
      );
      allowed = new Set(rows.map((r) => Number(r.id)));
    }
    return topByDot(query, cache, limit, allowed);
  }

  private async loadVectors(): Promise<VectorCache> {
    // Identity ids are never reused: any insert raises max(chunk_id), any delete lowers count(*).
    const { rows: keyRows } = await this.db.query<{ n: number; m: number }>(
      `SELECT count(*)::int AS n, coalesce(max(chunk_id), 0)::int AS m FROM ${this.s}.vectors`,
    );
    const key = `${keyRows[0].n}:${keyRows[0].m}`;
    if (this.vectorCache?.key === key) return this.vectorCache;
    // array_send: binary, much faster to decode than the text form of real[].
    const { rows } = await this.db.query<{ id: number; bin: Uint8Array }>(
      `SELECT chunk_id AS id, array_send(embedding) AS bin FROM ${this.s}.vectors ORDER BY chunk_id`,
    );
    const dims = rows.length ? arraySendLength(rows[0].bin) : 0;
    const ids = new Int32Array(rows.length);
    const matrix = new Float32Array(rows.length * dims);
    rows.forEach((row, i) => {
      ids[i] = Number(row.id);
      decodeFloat4Array(row.bin, matrix, i * dims, dims);
    });
    this.vectorCache = { key, ids, matrix, dims };
    return this.vectorCache;
  }
}

async function chooseBackend(
  db: PgQueryAdapter,
  s: string,
  choice: VectorBackendChoice,
  fresh: boolean,
): Promise<{ backend: VectorBackend; notice: string }> {
  if (!fresh) {
    const { rows } = await db.query<{ value: string }>(
      `SELECT value FROM ${s}.meta WHERE key = 'vector_backend'`,
    );
    const stored = rows[0]?.value as VectorBackend | undefined;
    if (stored && (choice === "auto" || choice === stored)) {
      return { backend: stored, notice: notice(stored) };
    }
  }
  if (choice === "array") return { backend: "array", notice: `${notice("array")} (chosen)` };
  let error: unknown;
  try {
    await db.query("CREATE EXTENSION IF NOT EXISTS vector");
  } catch (cause) {
    error = cause; // not installed on the server, or no right to create it: checked below
  }
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'vector'",
  );
  if (rows[0].n > 0) return { backend: "pgvector", notice: notice("pgvector") };
  if (choice === "pgvector") {
    throw new DocumentError(
      "DOC_PGVECTOR_UNAVAILABLE",
      "The pgvector extension is not available on this server.",
      {
        cause: error,
        hint: `Install it (e.g. the postgresql-NN-pgvector package) and run CREATE EXTENSION vector, or use vector=auto (${(error as Error)?.message ?? "not installed"}).`,
      },
    );
  }
  return {
    backend: "array",
    notice: `${notice("array")} (pgvector unavailable: ${(error as Error)?.message ?? "not installed"})`,
  };
}

function notice(backend: VectorBackend): string {
  return backend === "pgvector"
    ? "document vectors: pgvector (HNSW index, cosine)"
    : "document vectors: real[] arrays, cosine computed by flm";
}

async function createTables(
  tx: PgQueryable,
  s: string,
  language: TextSearchLanguage,
  backend: VectorBackend,
) {
  const cfg = `'${language}'::regconfig`;
  await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.documents (
    id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    path text NOT NULL UNIQUE,
    type text NOT NULL,
    title text NOT NULL,
    sha256 text NOT NULL,
    size bigint NOT NULL,
    mtime_ms double precision NOT NULL,
    chunk_count integer NOT NULL,
    embedder text,
    ingested_at timestamptz NOT NULL DEFAULT now())`);
  // The tsvector is a generated column: it can never disagree with the text it indexes.
  await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.chunks (
    id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    document_id integer NOT NULL REFERENCES ${s}.documents(id) ON DELETE CASCADE,
    ordinal integer NOT NULL,
    title text NOT NULL,
    heading text NOT NULL,
    text text NOT NULL,
    page integer,
    start_offset integer NOT NULL,
    end_offset integer NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector(${cfg}, title), 'A') ||
      setweight(to_tsvector(${cfg}, heading), 'B') ||
      setweight(to_tsvector(${cfg}, text), 'D')) STORED,
    UNIQUE (document_id, ordinal))`);
  await tx.query(`CREATE INDEX IF NOT EXISTS chunks_tsv ON ${s}.chunks USING gin (tsv)`);
  await setMeta(tx, s, "language", language);
  await setMeta(tx, s, "vector_backend", backend);
  await setMeta(tx, s, "schema_version", SCHEMA_VERSION);
}

async function setMeta(db: PgQueryable, s: string, key: string, value: string): Promise<void> {
  await db.query(
    `INSERT INTO ${s}.meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [key, value],
  );
}

/** PostgreSQL text cannot hold NUL characters (SQLite can); they carry no meaning in prose. */
function clean(text: string): string {
  return text.includes("\u0000") ? text.replace(/\u0000/g, "") : text;
}

/** Element count of a one-dimensional array in `array_send` format. */
function arraySendLength(bin: Uint8Array): number {
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  return view.getInt32(0) === 0 ? 0 : view.getInt32(12);
}

/** Decodes `array_send(real[])`: 20-byte header, then per element a 4-byte length and a big-endian float4. */
function decodeFloat4Array(bin: Uint8Array, out: Float32Array, offset: number, dims: number): void {
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  for (let i = 0; i < dims; i++) out[offset + i] = view.getFloat32(20 + i * 8 + 4);
}
