import { z } from "zod";
import { jsonSchemaObject, positiveInt, type SourceKind, sourceName } from "../source-kind.js";

const declaredQuery = z
  .strictObject({
    name: sourceName.describe("The tool's name."),
    description: z.string().min(1).describe("What the query returns; the planner chooses by it."),
    sql: z
      .string()
      .min(1)
      .describe("Parameterised SQL: `:param` from the planner, `:user.id` / `:user.roles` from the caller."),
    params: jsonSchemaObject.optional().describe("JSON Schema of the planner's parameters."),
    write: z.boolean().optional().meta({
      description: "Runs in a writable transaction (refused when the source is `readOnly`).",
      default: false,
    }),
  })
  .describe("A declared query: one tool with bound parameters.");

const sensitiveColumn = z
  .union([
    z.string().regex(/^[^.]+\.[^.]+$/, "table.column"),
    z.strictObject({
      column: z.string().describe("`table.column`."),
      type: z.string().describe("Entity type for its placeholders, e.g. `EMAIL`, `PERSON`."),
    }),
  ])
  .describe(
    "A column whose values are indexed for the privacy firewall: `table.column` or `{ column, type }`.",
  );

const tableTool = z.strictObject({
  name: z.string().min(1).describe("The table, exactly as the database spells it."),
  description: z.string().optional().describe("Added to the generated description (what the rows are)."),
  rowFilter: z
    .strictObject({
      column: z.string().min(1).describe("A column of the table."),
      equals: z
        .union([z.string(), z.number(), z.boolean()])
        .describe("A value, or `:user.id` / `:user.<attribute>` for the caller's."),
    })
    .optional()
    .describe('Always ANDed into every `find_` call, e.g. `{ column: "owner_id", equals: ":user.id" }`.'),
});

export const sqlSourceSchema = z
  .strictObject({
    kind: z.literal("sql"),
    name: sourceName,
    driver: z.enum(["sqlite", "postgres"]).describe("`sqlite` (a file) or `postgres` (a server)."),
    path: z
      .string()
      .optional()
      .describe("SQLite: the database file (must exist; relative to the config file)."),
    url: z.string().optional().describe("PostgreSQL: the connection URL."),
    schema: z
      .string()
      .optional()
      .meta({ description: "PostgreSQL: the schema holding the tables.", default: "public" }),
    queries: z.array(declaredQuery).optional().describe("Declared queries, one tool each."),
    tables: z
      .union([z.literal("*"), z.array(z.union([z.string(), tableTool]))])
      .optional()
      .describe('Tables that get a `find_<table>` tool: `"*"` for all, or names / per-table settings.'),
    sensitive: z
      .array(sensitiveColumn)
      .optional()
      .describe("Columns whose values the privacy firewall indexes."),
    readOnly: z
      .boolean()
      .optional()
      .meta({ description: "Refuse even declared queries with `write: true`.", default: false }),
    statementTimeoutMs: positiveInt.optional().meta({ description: "Per statement.", default: 5000 }),
    maxRows: positiveInt
      .optional()
      .meta({ description: "Rows per call at most (`truncated` says when more existed).", default: 200 }),
    maxConnections: positiveInt.optional().meta({ description: "PostgreSQL pool size.", default: 5 }),
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
