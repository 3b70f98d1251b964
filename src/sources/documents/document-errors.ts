import { FlmError, type FlmErrorOptions } from "../../errors/flm-error.js";

/**
 * Stable codes for document ingest and search. Per-file codes (`DOC_EMPTY`, `DOC_BINARY`, ...)
 * end up in the ingest report's `failed` list; the others are thrown.
 */
export type DocumentErrorCode =
  | "DOC_EMPTY"
  | "DOC_BINARY"
  | "DOC_TOO_LARGE"
  | "DOC_UNSUPPORTED_TYPE"
  | "DOC_PDF_INVALID"
  | "DOC_PDF_NO_TEXT"
  | "DOC_PARSE_FAILED"
  | "DOC_READ_FAILED"
  | "DOC_FOLDER_NOT_FOUND"
  | "DOC_INDEX_FOLDER_MISMATCH"
  | "DOC_INDEX_INVALID"
  | "DOC_INDEX_NOT_FOUND"
  | "DOC_INDEX_UNREACHABLE"
  | "DOC_PGVECTOR_UNAVAILABLE"
  | "DOC_INGEST_ABORTED"
  | "DOC_QUERY_INVALID"
  | "DOC_EMBEDDER_HOST_REFUSED"
  | "DOC_EMBEDDER_FAILED"
  | "DOC_EMBEDDER_MISMATCH";

export class DocumentError extends FlmError {
  static override readonly marker: string = "federated-lm.DocumentError";
  declare readonly code: DocumentErrorCode;
  /** The file the error is about, relative to the ingested folder, when there is one. */
  readonly path?: string;

  constructor(code: DocumentErrorCode, message: string, options: FlmErrorOptions & { path?: string } = {}) {
    super(code, message, options);
    this.path = options.path;
  }
}
