import { z } from "zod";
import { positiveInt, type SourceKind, sourceName } from "../source-kind.js";
import { isPostgresUrl } from "./postgres/pg-index-url.js";

export const documentsSourceSchema = z.strictObject({
  kind: z.literal("documents"),
  name: sourceName,
  index: z
    .string()
    .min(1)
    .describe(
      "SQLite index file (relative to the config file), or `postgres://user:pw@host/db?schema=flm_docs&language=simple&vector=auto`.",
    ),
  folder: z.string().optional().describe("The folder to ingest (incrementally, on first use)."),
  topK: positiveInt.optional().meta({ description: "Passages per search.", default: 5 }),
  toolName: z
    .string()
    .optional()
    .meta({ description: "The search tool's name.", default: "search_documents" }),
  description: z.string().optional().describe("What the documents are; added to the tool's description."),
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
