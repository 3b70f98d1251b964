import type { Chunk } from "./chunker.js";
import type { DocumentType } from "./parsers/parsed-document.js";
import type { Passage } from "./passage.js";
import type { SearchFilters } from "./search-filters.js";

type Awaitable<T> = T | Promise<T>;

export interface DocumentRecord {
  path: string;
  type: DocumentType;
  title: string;
  sha256: string;
  size: number;
  mtimeMs: number;
  embedder?: string;
}

/** A document row as read back: the record plus its id and chunk count (`embedder` NULL when none). */
export interface StoredDocument extends Omit<DocumentRecord, "embedder"> {
  id: number;
  chunkCount: number;
  embedder: string | null;
}

export interface RankedChunk {
  chunkId: number;
  score: number;
}

export interface IndexStats {
  documents: number;
  chunks: number;
  vectors: number;
  bytes: number;
  embedder?: string;
  dimensions?: number;
  root?: string;
}

/**
 * What ingest and search need from a document index. Two implementations: `SqliteDocumentStore`
 * (SQLite file, synchronous) and `PgDocumentStore` (PostgreSQL, optionally pgvector). Callers
 * always `await`, so a synchronous implementation is fine. Every write of one document is
 * atomic: readers see the old version or the new one.
 */
export interface DocumentStore {
  /** Where the index lives, for messages (a file path, or a URL without its password). */
  readonly path: string;
  getMeta(key: string): Awaitable<string | undefined>;
  setMeta(key: string, value: string): Awaitable<void>;
  /** Every indexed document by path. */
  documents(): Awaitable<Map<string, StoredDocument>>;
  /** Replaces (or adds) one document with its chunks and unit-length vectors, in one transaction. */
  replaceDocument(
    record: DocumentRecord,
    chunks: readonly Chunk[],
    vectors?: readonly Float32Array[],
  ): Awaitable<void>;
  /** Records a new mtime for a file whose content did not change. */
  touchDocument(path: string, mtimeMs: number, size: number): Awaitable<void>;
  removeDocument(path: string): Awaitable<void>;
  /** Drops every vector and the embedder record (the embedder changed). */
  clearVectors(): Awaitable<void>;
  /** Keyword ranking for free text from a user or planner (any text is safe); best first. */
  searchKeywords(query: string, filters: SearchFilters | undefined, limit: number): Awaitable<RankedChunk[]>;
  /** Cosine ranking for a unit-length query vector; best first. */
  vectorSearch(
    query: Float32Array,
    filters: SearchFilters | undefined,
    limit: number,
  ): Awaitable<RankedChunk[]>;
  /** The passages for chunk ids, in the order given, with the given scores. */
  passages(ranked: readonly RankedChunk[]): Awaitable<Passage[]>;
  stats(): Awaitable<IndexStats>;
  /** True when documents, chunks, keyword index and vectors agree. */
  integrityCheck(): Awaitable<boolean>;
  close(): Awaitable<void>;
}
