import { z } from "zod";
import { jsonSchemaObject, positiveInt, type SourceKind, sourceName } from "../source-kind.js";

const declaredQuery = z.strictObject({
  name: sourceName,
  description: z.string().min(1),
  sql: z.string().min(1),
  params: jsonSchemaObject.optional(),
  write: z.boolean().optional(),
});

const sensitiveColumn = z.union([
  z.string().regex(/^[^.]+\.[^.]+$/, "table.column"),
  z.strictObject({ column: z.string(), type: z.string() }),
]);

const tableTool = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Always ANDed in, e.g. `{ column: "owner_id", equals: ":user.id" }`. */
  rowFilter: z
    .strictObject({ column: z.string().min(1), equals: z.union([z.string(), z.number(), z.boolean()]) })
    .optional(),
});

export const sqlSourceSchema = z
  .strictObject({
    kind: z.literal("sql"),
    name: sourceName,
    driver: z.enum(["sqlite", "postgres"]),
    path: z.string().optional(),
    url: z.string().optional(),
    schema: z.string().optional(),
    queries: z.array(declaredQuery).optional(),
    tables: z.union([z.literal("*"), z.array(z.union([z.string(), tableTool]))]).optional(),
    sensitive: z.array(sensitiveColumn).optional(),
    readOnly: z.boolean().optional(),
    statementTimeoutMs: positiveInt.optional(),
    maxRows: positiveInt.optional(),
    maxConnections: positiveInt.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.driver === "sqlite" && !c.path)
      ctx.addIssue({
        code: "custom",
        path: ["path"],
        message: 'driver "sqlite" needs path (the database file)',
      });
    if (c.driver === "postgres" && !c.url)
      ctx.addIssue({ code: "custom", path: ["url"], message: 'driver "postgres" needs url' });
  });

export type SqlSourceEntry = z.output<typeof sqlSourceSchema>;

/** `kind: sql`: SQLite or PostgreSQL tables and declared queries. */
export const sqlSourceKind: SourceKind<SqlSourceEntry> = {
  kind: "sql",
  schema: sqlSourceSchema,
  async create({ kind: _kind, ...config }, context) {
    const { createSqlSource } = await import("./sql-source.js");
    return createSqlSource({ ...config, path: config.path ? context.resolvePath(config.path) : undefined });
  },
};
