import type { Caller } from "../../tools/caller.js";
import { identityValue } from "./identity.js";
import type { TableInfo } from "./sql-driver.js";
import { sqlError } from "./sql-error.js";

export const FILTER_OPS = ["eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "is_null"] as const;
export type FilterOp = (typeof FILTER_OPS)[number];
type Scalar = string | number | boolean;

export interface FindFilter {
  column: string;
  op: FilterOp;
  /** Scalar for comparisons and `contains`, an array for `in`, a boolean (default true) for `is_null`. */
  value?: Scalar | Scalar[];
}

export interface FindArgs {
  columns?: string[];
  filters?: FindFilter[];
  orderBy?: { column: string; direction?: "asc" | "desc" }[];
  limit?: number;
}

/** Always ANDed into a table tool's WHERE, whatever the planner asks (row-level security). */
export interface RowFilter {
  column: string;
  /** `:user.id`, `:user.roles` (matches any role), `:user.<attribute>`, or a literal value. */
  equals: string | number | boolean;
}

export interface FindQueryOptions {
  dialect: "sqlite" | "postgres";
  placeholder: (index: number) => string;
  quoteIdent: (name: string) => string;
  maxRows: number;
  rowFilter?: RowFilter;
  caller?: Caller;
  toolName: string;
}

export const MAX_IN_VALUES = 100;
const COMPARE: Record<string, string> = { eq: "=", ne: "<>", lt: "<", lte: "<=", gt: ">", gte: ">=" };

/**
 * Builds the SELECT for a table tool. Every identifier comes from `table` (introspection), never
 * from the arguments' text; every value becomes a bound parameter. Anything else is refused.
 */
export function buildFindQuery(
  table: TableInfo,
  args: FindArgs,
  options: FindQueryOptions,
): { sql: string; params: unknown[]; limit: number } {
  const known = new Map(table.columns.map((c) => [c.name, c]));
  const column = (name: unknown, where: string): string => {
    if (typeof name !== "string" || !known.has(name)) {
      throw argError(
        `${where}: "${String(name)}" is not a column of ${table.name}.`,
        `Use one of: ${[...known.keys()].join(", ")}.`,
      );
    }
    return options.quoteIdent(name);
  };
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return options.placeholder(params.length);
  };

  const selected = args.columns?.length ? args.columns.map((c, i) => column(c, `columns[${i}]`)) : ["*"];
  const where: string[] = [];
  for (const [i, filter] of (args.filters ?? []).entries()) {
    const at = `filters[${i}]`;
    if (typeof filter !== "object" || filter === null) throw argError(`${at} must be an object.`);
    const col = column(filter.column, `${at}.column`);
    const { op, value } = filter;
    if (typeof op === "string" && Object.hasOwn(COMPARE, op)) {
      where.push(`${col} ${COMPARE[op]} ${bind(scalar(value, at))}`);
    } else if (op === "in") {
      if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IN_VALUES) {
        throw argError(`${at}: "in" needs an array of 1 to ${MAX_IN_VALUES} values.`);
      }
      where.push(`${col} IN (${value.map((v) => bind(scalar(v, at))).join(", ")})`);
    } else if (op === "contains") {
      if (typeof value !== "string") throw argError(`${at}: "contains" needs a string value.`);
      const like = options.dialect === "postgres" ? "ILIKE" : "LIKE";
      where.push(`CAST(${col} AS TEXT) ${like} ${bind(`%${escapeLike(value)}%`)} ESCAPE '\\'`);
    } else if (op === "is_null") {
      if (value !== undefined && typeof value !== "boolean")
        throw argError(`${at}: "is_null" takes true or false.`);
      where.push(`${col} IS ${value === false ? "NOT " : ""}NULL`);
    } else {
      throw argError(`${at}: unknown operator "${String(op)}".`, `Use one of: ${FILTER_OPS.join(", ")}.`);
    }
  }
  if (options.rowFilter) {
    const { column: name, equals } = options.rowFilter;
    const col = column(name, "rowFilter");
    const value =
      typeof equals === "string" && equals.startsWith(":user")
        ? identityValue(equals.slice(1), options.caller, options.toolName)
        : equals;
    if (Array.isArray(value)) {
      where.push(value.length ? `${col} IN (${value.map((v) => bind(v)).join(", ")})` : "1 = 0");
    } else {
      where.push(`${col} = ${bind(normalise(value, options.dialect))}`);
    }
  }
  const order = (args.orderBy ?? []).map((o, i) => {
    const dir = o.direction ?? "asc";
    if (dir !== "asc" && dir !== "desc") throw argError(`orderBy[${i}].direction must be "asc" or "desc".`);
    return `${column(o.column, `orderBy[${i}].column`)} ${dir.toUpperCase()}`;
  });
  const limit = args.limit ?? options.maxRows;
  if (!Number.isInteger(limit) || limit < 1 || limit > options.maxRows) {
    throw argError(`limit must be an integer from 1 to ${options.maxRows}.`);
  }
  // Fetch one extra row so the caller can tell the result was truncated.
  const sql =
    `SELECT ${selected.join(", ")} FROM ${options.quoteIdent(table.name)}` +
    (where.length ? ` WHERE ${where.map((w) => `(${w})`).join(" AND ")}` : "") +
    (order.length ? ` ORDER BY ${order.join(", ")}` : "") +
    ` LIMIT ${limit + 1}`;
  return { sql, params: params.map((p) => normalise(p, options.dialect)), limit };
}

function scalar(value: unknown, at: string): Scalar {
  if (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  )
    return value;
  throw argError(`${at}: value must be a string, number or boolean.`, "Use is_null to match missing values.");
}

function normalise(value: unknown, dialect: "sqlite" | "postgres"): unknown {
  return dialect === "sqlite" && typeof value === "boolean" ? (value ? 1 : 0) : value;
}

/** `%`, `_` and the escape character itself match literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function argError(message: string, hint?: string) {
  return sqlError("SQL_ARGUMENT_INVALID", message, { hint });
}
