/**
 * Every kind of tool source `flm.config` can declare. A new kind: write `<kind>/<kind>-source-kind.ts`
 * (its strict zod schema with `kind: z.literal("<kind>")`, its factory, and `remote` if it sends
 * tool arguments over the network), then add it to SOURCE_KINDS and to SourceEntries below.
 * The config schema (`tools[]`), the trust check and the runtime all read this list.
 */
import { z } from "zod";
import {
  type DocumentsSourceEntry,
  documentsSourceKind,
  documentsSourceSchema,
} from "./documents/document-source-kind.js";
import { type McpSourceEntry, mcpSourceKind, mcpSourceSchema } from "./mcp/mcp-source-kind.js";
import { type MongoSourceEntry, mongoSourceKind, mongoSourceSchema } from "./mongo/mongo-source-kind.js";
import {
  type OpenApiSourceEntry,
  openapiSourceKind,
  openapiSourceSchema,
} from "./openapi/openapi-source-kind.js";
import type { SourceContext, SourceKind } from "./source-kind.js";
import { type SqlSourceEntry, sqlSourceKind, sqlSourceSchema } from "./sql/sql-source-kind.js";
import type { ToolSource } from "../tools/tool-source.js";

interface SourceEntries {
  sql: SqlSourceEntry;
  mongo: MongoSourceEntry;
  mcp: McpSourceEntry;
  openapi: OpenApiSourceEntry;
  documents: DocumentsSourceEntry;
}

export type SourceKindName = keyof SourceEntries;

export const SOURCE_KINDS: { [K in SourceKindName]: SourceKind<SourceEntries[K]> } = {
  sql: sqlSourceKind,
  mongo: mongoSourceKind,
  mcp: mcpSourceKind,
  openapi: openapiSourceKind,
  documents: documentsSourceKind,
};

/** One entry of `tools[]`, discriminated by `kind`. */
export const toolSourceSchema = z.discriminatedUnion("kind", [
  sqlSourceSchema,
  mongoSourceSchema,
  mcpSourceSchema,
  openapiSourceSchema,
  documentsSourceSchema,
]);

export type ToolSourceConfig = { [K in SourceKindName]: SourceEntries[K] }[SourceKindName];

/** Builds the source an entry describes. */
export function createConfiguredSource<K extends SourceKindName>(
  entry: SourceEntries[K] & { kind: K },
  context: SourceContext,
): Promise<ToolSource> {
  return SOURCE_KINDS[entry.kind].create(entry, context);
}

/** Where an entry sends tool arguments, and whether it declares that trusted (undefined: nowhere). */
export function remoteOf<K extends SourceKindName>(
  entry: SourceEntries[K] & { kind: K },
): { urls: string[]; trusted: boolean } | undefined {
  return SOURCE_KINDS[entry.kind].remote?.(entry);
}
