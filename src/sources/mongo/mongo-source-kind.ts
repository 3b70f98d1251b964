import { z } from "zod";
import { jsonSchemaObject, positiveInt, type SourceKind, sourceName } from "../source-kind.js";

const fieldEntry = z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().min(1).describe("A field path, e.g. `address.city`."),
    description: z.string().optional().describe("Shown to the planner."),
  }),
]);

const collection = z.strictObject({
  name: z.string().min(1).describe("The collection."),
  description: z.string().min(1).describe("What a document is; shown to the planner."),
  fields: z
    .array(fieldEntry)
    .optional()
    .describe(
      "Field paths the planner may use (and sees listed); without it any plain field name is accepted.",
    ),
  filterSchema: jsonSchemaObject
    .optional()
    .describe("JSON Schema shown to the planner for `filter` (the run-time allow-list applies regardless)."),
  sensitive: z
    .array(
      z.union([
        z.string().min(1),
        z.strictObject({
          field: z.string().min(1).describe("A field path."),
          type: z.string().min(1).describe("Entity type for its placeholders, e.g. `EMAIL`."),
        }),
      ]),
    )
    .optional()
    .describe("Fields whose values the privacy firewall indexes: `email` or `{ field, type }`."),
  identity: z
    .strictObject({
      field: z.string().min(1).describe("The field that holds the owner."),
      value: z.string().optional().meta({
        description: "`user.id` or `user.<attribute>`: what the field must equal.",
        default: "user.id",
      }),
    })
    .optional()
    .describe(
      "Row-level identity: tools only read documents whose `field` equals the caller's id (or attribute).",
    ),
});

/** Mirrors `MongoSourceConfig` (createMongoSource's options): unknown keys are errors. */
export const mongoSourceSchema = z.strictObject({
  kind: z.literal("mongo"),
  name: sourceName,
  url: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, "a mongodb:// or mongodb+srv:// URL")
    .describe("A `mongodb://` or `mongodb+srv://` connection URL."),
  database: z.string().min(1).describe("The database."),
  collections: z
    .array(collection)
    .min(1, "declare at least one collection")
    .describe("The collections that get `find_<collection>` and `aggregate_<collection>` tools."),
  maxTimeMS: positiveInt
    .optional()
    .meta({ description: "Server-side time limit per query, always sent.", default: 5000 }),
  maxDocs: positiveInt
    .optional()
    .meta({ description: "Documents per call at most, always applied.", default: 100 }),
  serverSelectionTimeoutMS: positiveInt
    .optional()
    .meta({ description: "How long to wait for a server on connect.", default: 5000 }),
});

export type MongoSourceEntry = z.output<typeof mongoSourceSchema>;

/** `kind: mongo`: find_/aggregate_ tools over declared MongoDB collections. */
export const mongoSourceKind: SourceKind<MongoSourceEntry> = {
  kind: "mongo",
  schema: mongoSourceSchema,
  async create({ kind: _kind, ...config }) {
    const { createMongoSource } = await import("./mongo-source.js");
    return createMongoSource(config);
  },
};
