import type { SensitiveChanges, SensitiveValue, ToolSource } from "../../tools/tool-source.js";
import type { Tool } from "../../tools/tool.js";
import { type DeclaredQuery, declaredQueryTool, type ToolEnv } from "./declared-query.js";
import { PostgresDriver } from "./postgres-driver.js";
import type { SqlDriver, TableInfo } from "./sql-driver.js";
import { sqlError } from "./sql-error.js";
import { allSensitiveValues, type SensitiveColumnRef, sensitiveChangesSince } from "./sensitive-values.js";
import { SqliteDriver } from "./sqlite-driver.js";
import { type TableToolConfig, tableTool } from "./table-tool.js";

/** A column whose values feed the privacy index: `"customer.email"` or with an entity type. */
export type SensitiveColumn = string | { column: string; type: string };

export interface SqlSourceConfig {
  /** Source name (traces show `sql:<name>`; sensitive origins `<name>.<table>.<column>`). */
  name: string;
  driver: "sqlite" | "postgres";
  /** PostgreSQL connection URL. */
  url?: string;
  /** SQLite file (must exist). */
  path?: string;
  /** PostgreSQL schema holding the tables (default `public`). */
  schema?: string;
  queries?: DeclaredQuery[];
  /** Tables that get a `find_<table>` tool: `"*"` for all, or names / per-table settings. */
  tables?: "*" | (string | TableToolConfig)[];
  sensitive?: SensitiveColumn[];
  /** Always read-only except declared queries with `write: true`; `true` forbids those too. */
  readOnly?: boolean;
  /** Default 5000 ms. */
  statementTimeoutMs?: number;
  /** Row cap per call; default 200. */
  maxRows?: number;
  /** PostgreSQL pool size; default 5. */
  maxConnections?: number;
}

export interface SqlSource extends ToolSource {
  sensitiveValues(): AsyncIterable<SensitiveValue>;
  sensitiveChanges(since?: string): SensitiveChanges;
  check(): Promise<{ ok: boolean; detail: string }>;
  /** The driver (opened on first use), e.g. for raw queries in benchmarks. */
  driver(): SqlDriver;
}

export function createSqlSource(config: SqlSourceConfig): SqlSource {
  validateConfig(config);
  const wantsWrites = (config.queries ?? []).some((q) => q.write === true);
  let driver: SqlDriver | undefined;
  let tools: Promise<Tool[]> | undefined;
  let tables: Promise<TableInfo[]> | undefined;
  let closed = false;

  const open = (): SqlDriver => {
    if (closed)
      throw sqlError("SQL_CONFIG_INVALID", `SQL source "${config.name}" is closed.`, {
        hint: "Create a new source.",
      });
    driver ??=
      config.driver === "sqlite"
        ? new SqliteDriver({ path: config.path!, allowWrites: wantsWrites })
        : new PostgresDriver({
            url: config.url!,
            schema: config.schema,
            maxConnections: config.maxConnections,
          });
    return driver;
  };
  const introspect = () => {
    tables ??= open().introspect();
    return tables;
  };
  const env = (): ToolEnv => ({
    driver: open(),
    sourceName: config.name,
    maxRows: config.maxRows ?? 200,
    timeoutMs: config.statementTimeoutMs ?? 5_000,
  });

  const sensitiveColumns = async (): Promise<SensitiveColumnRef[]> => {
    if (!config.sensitive?.length) return [];
    const known = await introspect();
    return config.sensitive.map((entry) => {
      const { column: ref, type } = typeof entry === "string" ? { column: entry, type: "" } : entry;
      const { table, column } = resolveColumn(ref, known);
      return {
        table,
        column,
        type: type || column.toUpperCase(),
        origin: `${config.name}.${table}.${column}`,
      };
    });
  };

  const build = async (): Promise<Tool[]> => {
    const out: Tool[] = (config.queries ?? []).map((q) => declaredQueryTool(q, env()));
    if (config.tables) {
      const known = await introspect();
      const byName = new Map(known.map((t) => [t.name, t]));
      const wanted: TableToolConfig[] =
        config.tables === "*"
          ? known.map((t) => ({ name: t.name }))
          : config.tables.map((t) => (typeof t === "string" ? { name: t } : t));
      for (const table of wanted) {
        const info = byName.get(table.name);
        if (!info) {
          throw sqlError("SQL_CONFIG_INVALID", `Table "${table.name}" is not in ${open().describe()}.`, {
            hint: `Tables: ${[...byName.keys()].slice(0, 30).join(", ")}.`,
          });
        }
        out.push(tableTool(info, table, env()));
      }
    }
    const seen = new Set<string>();
    for (const tool of out) {
      if (seen.has(tool.name)) {
        throw sqlError(
          "SQL_CONFIG_INVALID",
          `SQL source "${config.name}" defines tool "${tool.name}" twice.`,
          {
            hint: "Rename the declared query or drop the table from `tables`.",
          },
        );
      }
      seen.add(tool.name);
    }
    return out;
  };

  return {
    name: config.name,
    driver: open,
    tools() {
      tools ??= build().catch((error) => {
        tools = undefined; // a later call may succeed (e.g. database came up)
        throw error;
      });
      return tools;
    },
    async *sensitiveValues() {
      const columns = await sensitiveColumns();
      if (columns.length > 0) yield* allSensitiveValues(open(), columns, env().timeoutMs * 10);
    },
    sensitiveChanges(since?: string) {
      return sensitiveChangesSince(open(), sensitiveColumns, since, env().timeoutMs * 10);
    },
    async check() {
      try {
        const d = open();
        await d.query("SELECT 1 AS ok", [], { maxRows: 1, timeoutMs: env().timeoutMs });
        const count = (await introspect()).length;
        const n = (await this.tools()).length;
        return { ok: true, detail: `${d.describe()}: ${count} tables, ${n} tools` };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await driver?.close();
    },
  };
}

/** `table.column`, matched exactly, else case-insensitively when that is unambiguous. */
function resolveColumn(ref: string, tables: TableInfo[]): { table: string; column: string } {
  const dot = ref.lastIndexOf(".");
  if (dot <= 0)
    throw sqlError("SQL_CONFIG_INVALID", `Sensitive column "${ref}" must be written "table.column".`);
  const [t, c] = [ref.slice(0, dot), ref.slice(dot + 1)];
  const pick = <T extends { name: string }>(items: T[], name: string): T | undefined =>
    items.find((i) => i.name === name) ??
    single(items.filter((i) => i.name.toLowerCase() === name.toLowerCase()));
  const table = pick(tables, t);
  const column = table && pick(table.columns, c);
  if (!table || !column) {
    throw sqlError("SQL_CONFIG_INVALID", `Sensitive column "${ref}" does not exist.`, {
      hint: "Check the table and column names.",
    });
  }
  return { table: table.name, column: column.name };
}

function single<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

function validateConfig(config: SqlSourceConfig): void {
  const fail = (message: string, hint?: string) => {
    throw sqlError("SQL_CONFIG_INVALID", `SQL source "${config.name ?? "?"}": ${message}`, { hint });
  };
  if (!config.name?.trim()) fail("needs a name.");
  if (config.driver === "sqlite") {
    if (!config.path) fail('driver "sqlite" needs `path` (the database file).');
  } else if (config.driver === "postgres") {
    if (!config.url) fail('driver "postgres" needs `url` (postgres://user:pass@host:5432/db).');
  } else {
    fail(`unknown driver "${String(config.driver)}".`, 'Use "sqlite" or "postgres".');
  }
  if (config.readOnly === true && config.queries?.some((q) => q.write)) {
    fail("`readOnly: true` but a query has `write: true`.", "Remove one of them.");
  }
  for (const [key, value] of [
    ["maxRows", config.maxRows],
    ["statementTimeoutMs", config.statementTimeoutMs],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1))
      fail(`${key} must be a positive integer.`);
  }
  if (config.maxRows !== undefined && config.maxRows > 100_000) fail("maxRows is at most 100000.");
}
