import { z } from "zod";
import { positiveInt, type SourceKind, sourceName } from "../source-kind.js";
import { isPostgresUrl } from "./postgres/pg-index-url.js";

export const documentsSourceSchema = z.strictObject({
  kind: z.literal("documents"),
  name: sourceName,
  /** SQLite index file, or `postgres://user:pw@host/db?schema=flm_docs&language=simple&vector=auto`. */
  index: z.string().min(1),
  folder: z.string().optional(),
  topK: positiveInt.optional(),
  toolName: z.string().optional(),
  description: z.string().optional(),
});

export type DocumentsSourceEntry = z.output<typeof documentsSourceSchema>;

/** `kind: documents`: a search tool over an ingested folder (SQLite or PostgreSQL index). */
export const documentsSourceKind: SourceKind<DocumentsSourceEntry> = {
  kind: "documents",
  schema: documentsSourceSchema,
  async create(entry, context) {
    const { createDocumentSource } = await import("./document-source.js");
    return createDocumentSource({
      name: entry.name,
      // A postgres:// URL is a database, not a path relative to the config file.
      index: isPostgresUrl(entry.index) ? entry.index : context.resolvePath(entry.index),
      folder: entry.folder ? context.resolvePath(entry.folder) : undefined,
      topK: entry.topK,
      toolName: entry.toolName,
      description: entry.description,
    });
  },
};
