import { dirname, join } from "node:path";
import { configPath, type FlmConfig } from "../config/load-config.js";
import { openTraceStore, type TraceStoreConfig } from "../traces/open-trace-store.js";
import type { TraceStore, TraceStoreLimits } from "../traces/trace-store.js";

/**
 * Where `config.traces` (or, failing that, `config.audit`) says runs are kept: `traces.url` or
 * `traces.path`; else the shared state's PostgreSQL (`state.url`: every replica reads every run), the
 * audit log's PostgreSQL database, or a SQLite file beside the audit log; else `.flm/traces.sqlite`
 * beside the config file.
 */
export function configuredTraceStore(config: FlmConfig): TraceStoreConfig {
  const t = config.traces;
  if (t?.url) return { kind: "postgres", url: t.url, schema: t.schema };
  if (t?.path) return { kind: "sqlite", path: t.path === ":memory:" ? t.path : configPath(config, t.path) };
  if (config.state?.url) return { kind: "postgres", url: config.state.url, schema: t?.schema };
  if (config.audit?.url) return { kind: "postgres", url: config.audit.url, schema: t?.schema };
  if (config.audit?.path)
    return {
      kind: "sqlite",
      path: join(dirname(configPath(config, config.audit.path)), "flm-traces.sqlite"),
    };
  return { kind: "sqlite", path: configPath(config, ".flm/traces.sqlite") };
}

/** Opens (creating if needed) the configured trace store, with the configured retention and caps. */
export async function openConfiguredTraces(config: FlmConfig): Promise<TraceStore> {
  const t = config.traces;
  const limits: Partial<TraceStoreLimits> = {};
  if (t?.retentionDays !== undefined) limits.retentionDays = t.retentionDays;
  if (t?.maxTraceBytes !== undefined) limits.maxTraceBytes = t.maxTraceBytes;
  if (t?.maxStoreBytes !== undefined) limits.maxStoreBytes = t.maxStoreBytes;
  return openTraceStore(configuredTraceStore(config), { limits });
}
