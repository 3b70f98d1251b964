import { z } from "zod";
import { positiveInt, type SourceKind, sourceName, stringMap } from "../source-kind.js";

export const openapiSourceSchema = z.strictObject({
  kind: z.literal("openapi"),
  name: sourceName,
  spec: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())])
    .describe(
      "The OpenAPI 3.0/3.1 document: a file (YAML or JSON, relative to the config file), an http(s) URL, or inline.",
    ),
  baseURL: z
    .string()
    .optional()
    .describe("Where requests go (default: the document's first `servers` entry)."),
  baseUrl: z.string().optional().describe("Deprecated: the old spelling of baseURL."),
  headers: stringMap
    .optional()
    .describe("Headers on every request (e.g. `Authorization`); hidden from the planner and enforced."),
  operations: z
    .array(z.string())
    .optional()
    .describe(
      "Which operations become tools: `operationId`s or `METHOD /path` patterns with `*` (default: all).",
    ),
  identity: z
    .strictObject({
      header: z.string().optional().describe("Header that carries the caller's id."),
      query: z.string().optional().describe("Query parameter that carries it."),
      pathParam: z.string().optional().describe("Path parameter that carries it."),
    })
    .optional()
    .describe("Puts the run's `caller.id` on every request; the planner cannot set or see it."),
  timeoutMs: positiveInt.optional().meta({ description: "Per call.", default: 30_000 }),
  trusted: z
    .boolean()
    .optional()
    .describe(
      "Required for a service on a non-local host: it receives tool arguments, which may carry data.",
    ),
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
    urls: [entry.baseURL ?? entry.baseUrl, typeof entry.spec === "string" ? entry.spec : undefined].filter(
      (u): u is string => u !== undefined && isUrl(u),
    ),
    trusted: entry.trusted === true,
  }),
};
