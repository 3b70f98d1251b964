import { defineTool } from "../../tools/define-tool.js";
import type { JSONSchema7 } from "../../tools/json-schema.js";
import type { Tool } from "../../tools/tool.js";
import { identityValue, isIdentityParam } from "./identity.js";
import { compileNamedParams } from "./named-params.js";
import type { QueryResult, SqlDriver } from "./sql-driver.js";
import { sqlError } from "./sql-error.js";

/** A parameterised statement from configuration that becomes one tool. */
export interface DeclaredQuery {
  /** Tool name the planner calls. */
  name: string;
  description: string;
  /** SQL with named parameters, e.g. `WHERE customer_id = :customer_id AND owner = :user.id`. */
  sql: string;
  /** JSON Schema (type object) of the planner-supplied parameters; `:user.*` never appear here. */
  params?: JSONSchema7;
  /** Allows the statement to change data (a writable connection/transaction). Default false. */
  write?: boolean;
}

export interface ToolEnv {
  driver: SqlDriver;
  sourceName: string;
  maxRows: number;
  timeoutMs: number;
}

export function declaredQueryTool(
  query: DeclaredQuery,
  env: ToolEnv,
): Tool<Record<string, unknown>, QueryResult> {
  const compiled = compileNamedParams(
    query.sql,
    (i) => env.driver.placeholder(i),
    env.driver.dialect === "postgres",
  );
  const params: JSONSchema7 = query.params ?? { type: "object", properties: {} };
  if (params.type !== undefined && params.type !== "object") {
    throw sqlError(
      "SQL_CONFIG_INVALID",
      `Query "${query.name}": params must be a JSON Schema of type "object".`,
    );
  }
  const properties = (params.properties ?? {}) as Record<string, JSONSchema7>;
  for (const key of Object.keys(properties)) {
    if (isIdentityParam(key)) {
      throw sqlError(
        "SQL_CONFIG_INVALID",
        `Query "${query.name}": parameter "${key}" is reserved for the caller.`,
        {
          hint: "Use :user.id / :user.roles / :user.<attribute> in the SQL; do not declare them in params.",
        },
      );
    }
  }
  for (const name of compiled.names) {
    if (!isIdentityParam(name) && !(name in properties)) {
      throw sqlError(
        "SQL_CONFIG_INVALID",
        `Query "${query.name}" uses :${name} but params does not declare it.`,
        {
          hint: `Add "${name}" to params.properties.`,
        },
      );
    }
  }
  for (const key of Object.keys(properties)) {
    if (!compiled.names.includes(key)) {
      throw sqlError(
        "SQL_CONFIG_INVALID",
        `Query "${query.name}" declares parameter "${key}" that the SQL never uses.`,
        {
          hint: `Use :${key} in the SQL or remove it from params.`,
        },
      );
    }
  }
  const inputSchema: JSONSchema7 = { additionalProperties: false, ...params, type: "object", properties };
  return defineTool<Record<string, unknown>, QueryResult>({
    name: query.name,
    description: query.description,
    input: inputSchema,
    source: `sql:${env.sourceName}`,
    timeoutMs: env.timeoutMs + 1_000,
    sideEffects: query.write === true,
    run: (input, context) => {
      const values = compiled.bindOrder.map((name) =>
        isIdentityParam(name) ? identityValue(name, context.caller, query.name) : (input[name] ?? null),
      );
      return env.driver.query(compiled.sql, values, {
        write: query.write === true,
        maxRows: env.maxRows,
        timeoutMs: env.timeoutMs,
        signal: context.signal,
      });
    },
  });
}
