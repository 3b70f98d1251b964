export { type CappedRecord, capRecord } from "./cap-record.js";
export { openTraceStore, type TraceStoreConfig } from "./open-trace-store.js";
export { openPostgresTraceStore, type PostgresTraceStoreOptions } from "./postgres-trace-store.js";
export {
  BLOCKED_BODY,
  type BuildRunRecordInput,
  buildRunRecord,
  isBlockCode,
  RUN_STATUSES,
  type RunRecord,
  type RunStatus,
  type RunSummary,
} from "./run-record.js";
export { type SqlConnection, SqlTraceStore, type SqlTraceStoreOptions } from "./sql-trace-store.js";
export { openSqliteTraceStore, type SqliteTraceStoreOptions } from "./sqlite-trace-store.js";
export { TraceConfigError, TraceQueryError, TraceStoreError } from "./trace-errors.js";
export {
  DEFAULT_TRACE_LIMITS,
  type PutResult,
  type RunPage,
  type RunQuery,
  type TraceStore,
  type TraceStoreLimits,
  type TraceStoreStats,
} from "./trace-store.js";
