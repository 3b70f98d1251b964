import { openPostgresTraceStore } from "./postgres-trace-store.js";
import type { SqlTraceStoreOptions } from "./sql-trace-store.js";
import { openSqliteTraceStore } from "./sqlite-trace-store.js";
import type { TraceStore } from "./trace-store.js";

export type TraceStoreConfig =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string; schema?: string };

/** Opens (creating if needed) the trace store a config names. */
export async function openTraceStore(
  config: TraceStoreConfig,
  options: SqlTraceStoreOptions = {},
): Promise<TraceStore> {
  return config.kind === "postgres"
    ? openPostgresTraceStore({ ...options, url: config.url, schema: config.schema })
    : openSqliteTraceStore({ ...options, path: config.path });
}
