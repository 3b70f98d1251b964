import { z } from "zod";
import { jsonSchemaObject, positiveInt, type SourceKind, sourceName } from "../source-kind.js";

const fieldEntry = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), description: z.string().optional() }),
]);

const collection = z.strictObject({
  name: z.string().min(1),
  /** What a document is; shown to the planner. */
  description: z.string().min(1),
  fields: z.array(fieldEntry).optional(),
  filterSchema: jsonSchemaObject.optional(),
  sensitive: z
    .array(
      z.union([z.string().min(1), z.strictObject({ field: z.string().min(1), type: z.string().min(1) })]),
    )
    .optional(),
  identity: z.strictObject({ field: z.string().min(1), value: z.string().optional() }).optional(),
});

/** Mirrors `MongoSourceConfig` (createMongoSource's options): unknown keys are errors. */
export const mongoSourceSchema = z.strictObject({
  kind: z.literal("mongo"),
  name: sourceName,
  url: z.string().regex(/^mongodb(\+srv)?:\/\//, "a mongodb:// or mongodb+srv:// URL"),
  database: z.string().min(1),
  collections: z.array(collection).min(1, "declare at least one collection"),
  maxTimeMS: positiveInt.optional(),
  maxDocs: positiveInt.optional(),
  serverSelectionTimeoutMS: positiveInt.optional(),
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
