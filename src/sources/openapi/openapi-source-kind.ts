import { z } from "zod";
import { positiveInt, type SourceKind, sourceName, stringMap } from "../source-kind.js";

export const openapiSourceSchema = z.strictObject({
  kind: z.literal("openapi"),
  name: sourceName,
  /** A file path (YAML or JSON), an http(s) URL, or the document itself. */
  spec: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  baseUrl: z.string().optional(),
  headers: stringMap.optional(),
  operations: z.array(z.string()).optional(),
  identity: z
    .strictObject({
      header: z.string().optional(),
      query: z.string().optional(),
      pathParam: z.string().optional(),
    })
    .optional(),
  timeoutMs: positiveInt.optional(),
  /** A service on a non-local host receives tool arguments (possibly data): declare it. */
  trusted: z.boolean().optional(),
});

export type OpenApiSourceEntry = z.output<typeof openapiSourceSchema>;

const isUrl = (s: string) => /^https?:\/\//.test(s);

/** `kind: openapi`: one tool per operation of an OpenAPI 3 document. */
export const openapiSourceKind: SourceKind<OpenApiSourceEntry> = {
  kind: "openapi",
  schema: openapiSourceSchema,
  async create({ kind: _kind, trusted: _trusted, ...entry }, context) {
    const { createOpenApiSource } = await import("./openapi-source.js");
    const spec =
      typeof entry.spec === "string" && !/^https?:/.test(entry.spec)
        ? context.resolvePath(entry.spec)
        : entry.spec;
    return createOpenApiSource({ ...entry, spec });
  },
  remote: (entry) => ({
    urls: [entry.baseUrl, typeof entry.spec === "string" ? entry.spec : undefined].filter(
      (u): u is string => u !== undefined && isUrl(u),
    ),
    trusted: entry.trusted === true,
  }),
};
