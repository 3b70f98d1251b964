import type { RunRecord, RunStatus, RunSummary } from "./run-record.js";

/** Filters for the runs list. Every field is optional; all given ones must match. */
export interface RunQuery {
  userId?: string;
  agent?: string;
  status?: RunStatus;
  blocked?: boolean;
  /** Runs started at or after this time. */
  from?: Date;
  /** Runs started before this time. */
  to?: Date;
  /** Runs that took at least this long. */
  minDurationMs?: number;
  /** Page size (default 50, at most 500). */
  limit?: number;
  /** An `older`/`newer` cursor from a previous page. */
  cursor?: string;
}

export interface RunPage {
  /** Newest first. */
  runs: RunSummary[];
  /** Cursor of the next page of older runs, when there is one. */
  older?: string;
  /** Cursor of the page of newer runs, when this is not the first page. */
  newer?: string;
}

export interface TraceStoreStats {
  runs: number;
  bytes: number;
  oldest?: string;
  newest?: string;
}

export interface TraceStoreLimits {
  /** Runs older than this are deleted (default 30). */
  retentionDays: number;
  /** A record larger than this is cut to fit (default 256 KiB). */
  maxTraceBytes: number;
  /** The oldest runs are deleted while the store holds more than this (default 256 MiB). */
  maxStoreBytes: number;
}

export const DEFAULT_TRACE_LIMITS: TraceStoreLimits = {
  retentionDays: 30,
  maxTraceBytes: 256 * 1024,
  maxStoreBytes: 256 * 1024 * 1024,
};

export interface PutResult {
  bytes: number;
  truncated: boolean;
}

/**
 * Where run traces live beyond the process: the gateway writes one record per run, and
 * `GET /v1/traces/:id` and the console read them. Implementations: SQLite (default, one file
 * next to the audit log) and PostgreSQL (shared by several gateway replicas). Every method is
 * asynchronous and none may block the event loop for long.
 */
export interface TraceStore {
  readonly kind: string;
  readonly limits: TraceStoreLimits;
  /** Stores (or replaces) a run, cut to `maxTraceBytes`. */
  put(record: RunRecord): Promise<PutResult>;
  /** The run, or undefined when unknown, expired, or (with `userId`) made by someone else. */
  get(id: string, options?: { userId?: string }): Promise<RunRecord | undefined>;
  /** Summaries, newest first, filtered and paged by cursor. */
  list(query?: RunQuery): Promise<RunPage>;
  /** Distinct users and agents seen in the stored runs (for filter menus), at most 200 each. */
  facets(): Promise<{ users: string[]; agents: string[] }>;
  /** Deletes runs past retention, then the oldest runs while over `maxStoreBytes`. */
  prune(now?: Date): Promise<{ expired: number; evicted: number }>;
  stats(): Promise<TraceStoreStats>;
  close(): Promise<void>;
}
