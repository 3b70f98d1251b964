import { type JSONSchema7, jsonSchemaValidator } from "../../tools/json-schema.js";
import type { Tool } from "../../tools/tool.js";
import type { ToolEnv } from "./declared-query.js";
import type { QueryResult, TableInfo } from "./sql-driver.js";
import { sqlError } from "./sql-error.js";
import { buildFindQuery, FILTER_OPS, type FindArgs, MAX_IN_VALUES, type RowFilter } from "./table-query.js";

export interface TableToolConfig {
  /** Table name exactly as the database spells it. */
  name: string;
  /** Added to the generated description (what the rows are). */
  description?: string;
  /** Always ANDed in, e.g. `{ column: "owner_id", equals: ":user.id" }`. */
  rowFilter?: RowFilter;
}

const SCALAR: JSONSchema7 = { type: ["string", "number", "boolean"] };

/** The planner-facing JSON Schema: column names are an enum of what introspection found. */
export function findInputSchema(table: TableInfo, maxRows: number): JSONSchema7 {
  const columns = table.columns.map((c) => c.name);
  const column: JSONSchema7 = { type: "string", enum: columns };
  return {
    type: "object",
    additionalProperties: false,
    properties: {
      columns: {
        type: "array",
        items: column,
        uniqueItems: true,
        description: "Columns to return; all when omitted.",
      },
      filters: {
        type: "array",
        maxItems: 20,
        description:
          "ANDed conditions. `in` takes an array; `contains` is a case-insensitive substring match; `is_null` takes true/false.",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["column", "op"],
          properties: {
            column,
            op: { type: "string", enum: [...FILTER_OPS] },
            value: {
              anyOf: [
                { ...SCALAR, maxLength: 1000 } as JSONSchema7,
                { type: "array", items: SCALAR, minItems: 1, maxItems: MAX_IN_VALUES },
              ],
            },
          },
        },
      },
      orderBy: {
        type: "array",
        maxItems: 5,
        items: {
          type: "object",
          additionalProperties: false,
          required: ["column"],
          properties: { column, direction: { type: "string", enum: ["asc", "desc"] } },
        },
      },
      limit: { type: "integer", minimum: 1, maximum: maxRows, description: `At most ${maxRows}.` },
    },
  };
}

/** Tool names allow letters, digits, `_` and `-`, 64 characters at most. */
export function findToolName(table: string): string {
  return `find_${table.replace(/[^A-Za-z0-9_-]/g, "_")}`.slice(0, 64);
}

export function tableTool(
  table: TableInfo,
  config: TableToolConfig,
  env: ToolEnv,
): Tool<FindArgs, QueryResult> {
  if (config.rowFilter && !table.columns.some((c) => c.name === config.rowFilter!.column)) {
    throw sqlError(
      "SQL_CONFIG_INVALID",
      `rowFilter of table "${table.name}" names unknown column "${config.rowFilter.column}".`,
      {
        hint: `Columns: ${table.columns.map((c) => c.name).join(", ")}.`,
      },
    );
  }
  const name = findToolName(table.name);
  const cols = table.columns.map((c) => `${c.name} (${c.kind})`).join(", ");
  const description =
    `${config.description ? `${config.description.trim()} ` : ""}Finds rows of table "${table.name}". ` +
    `Columns: ${cols}. Filter, choose columns, order; at most ${env.maxRows} rows.` +
    (config.rowFilter ? " Only rows the current user may see are returned." : "");
  const inputSchema = findInputSchema(table, env.maxRows);
  // Compiled on first use: a 200-table schema would otherwise spend seconds in Ajv up front.
  let check: ((value: unknown) => { path: string; message: string }[]) | undefined;
  return {
    name,
    description,
    inputSchema,
    source: `sql:${env.sourceName}`,
    timeoutMs: env.timeoutMs + 1_000,
    validate: (value) => {
      check ??= jsonSchemaValidator(inputSchema);
      const copy = structuredClone(value) as FindArgs;
      return { value: copy, issues: check(copy) };
    },
    run: async (args, context) => {
      const { sql, params, limit } = buildFindQuery(table, args, {
        dialect: env.driver.dialect,
        placeholder: (i) => env.driver.placeholder(i),
        quoteIdent: (n) => env.driver.quoteIdent(n),
        maxRows: env.maxRows,
        rowFilter: config.rowFilter,
        caller: context.caller,
        toolName: name,
      });
      return env.driver.query(sql, params, {
        maxRows: limit,
        timeoutMs: env.timeoutMs,
        signal: context.signal,
      });
    },
  };
}
