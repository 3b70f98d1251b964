/** The document types the ingester understands; stored in the index and usable as a search filter. */
export type DocumentType = "markdown" | "text" | "html" | "pdf";

/**
 * A run of text under one heading (or on one page). Chunks never cross block boundaries, so
 * each chunk has exactly one heading path and at most one page.
 */
export interface TextBlock {
  text: string;
  /** Offset of `text` within the document's parsed text (see `ParsedDocument`). */
  start: number;
  /** Enclosing headings, outermost first, e.g. `["Leave", "Parental leave"]`. */
  headingPath: string[];
  /** 1-based page number (PDF only). */
  page?: number;
}

/**
 * Offsets are characters into: the source file itself for Markdown and plain text, the
 * extracted text for HTML, and the page's extracted text for PDF (with `page` set).
 */
export interface ParsedDocument {
  type: DocumentType;
  title?: string;
  blocks: TextBlock[];
}

export interface DocumentParser {
  readonly type: DocumentType;
  /** Lower-case file extensions without the dot. */
  readonly extensions: readonly string[];
  parse(bytes: Uint8Array, path: string): Promise<ParsedDocument>;
}
