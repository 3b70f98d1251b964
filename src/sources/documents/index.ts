export { type Chunk, type ChunkOptions, chunkDocument } from "./chunker.js";
export { DocumentError, type DocumentErrorCode } from "./document-errors.js";
export { DocumentIndex, SqliteDocumentStore } from "./sqlite-document-store.js";
export type {
  DocumentRecord,
  DocumentStore,
  IndexStats,
  RankedChunk,
  StoredDocument,
} from "./document-store.js";
export { type OpenStoreOptions, openDocumentStore } from "./open-document-store.js";
export {
  PgDocumentStore,
  type PgDocumentStoreOptions,
  type VectorBackend,
} from "./postgres/pg-document-store.js";
export { isPostgresUrl, parsePgIndexUrl, type TextSearchLanguage } from "./postgres/pg-index-url.js";
export {
  type PgliteLike,
  type PgPoolLike,
  type PgQueryAdapter,
  type PgQueryable,
  pgliteAdapter,
  pgPoolAdapter,
} from "./postgres/query-adapter.js";
export {
  createDocumentSource,
  type DocumentSearchResult,
  type DocumentSource,
  type DocumentSourceOptions,
} from "./document-source.js";
export type { Embedder } from "./embedders/embedder.js";
export {
  createOllamaEmbedder,
  createOpenAICompatibleEmbedder,
  type HttpEmbedderOptions,
} from "./embedders/http-embedder.js";
export {
  DocumentIngestError,
  type IngestFailure,
  type IngestOptions,
  type IngestProgress,
  type IngestReport,
  ingestFolder,
} from "./ingest-folder.js";
export { citationLabel, type Passage } from "./passage.js";
export type { DocumentParser, DocumentType, ParsedDocument, TextBlock } from "./parsers/parsed-document.js";
export { defaultParsers } from "./parsers/parser-registry.js";
export { type SearchOptions, searchDocuments, searchIndex } from "./search-documents.js";
export type { SearchFilters } from "./search-filters.js";
