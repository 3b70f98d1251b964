/**
 * Messages between a `SqliteConnection` (event-loop thread) and its worker thread. Types only:
 * the worker module must not import anything at run time but Node built-ins and better-sqlite3.
 */

export interface WorkerOpenOptions {
  path: string;
  readonly: boolean;
  fileMustExist: boolean;
  /** `PRAGMA`s run after every (re)open, e.g. `journal_mode = WAL`. */
  pragmas: string[];
  /** SQL run after the pragmas on every (re)open (e.g. `CREATE TABLE IF NOT EXISTS`). */
  setupSql?: string;
  /** Before each request, reopen when the file at `path` is no longer the file that was opened. */
  reopenOnReplace: boolean;
}

export type QueryMode = "all" | "get" | "run" | "exec" | "pluck" | "execute";

export interface QueryRequest {
  op: "query";
  id: number;
  mode: QueryMode;
  sql: string;
  params: unknown[];
  /** Epoch ms: row loops stop here; lock waits end before it. */
  deadline: number;
  /** Longest wait for another connection's lock (bounded by the deadline). */
  busyTimeoutMs: number;
  /** `all`/`pluck`/`execute`: return at most this many rows and say whether more existed. */
  maxRows?: number;
  /** `execute`: a statement that writes is allowed (otherwise it is refused before it runs). */
  allowWrite?: boolean;
}

export interface CursorRequest {
  op: "cursor-open" | "cursor-next" | "cursor-close";
  id: number;
  sql?: string;
  params?: unknown[];
  pluck?: boolean;
  batchSize?: number;
  deadline: number;
  busyTimeoutMs: number;
}

export type WorkerRequest =
  | { op: "open"; id: number; options: WorkerOpenOptions }
  | QueryRequest
  | CursorRequest
  | { op: "close"; id: number }
  /** Close the database and end the thread (sent to an abandoned worker: it runs once SQLite returns). */
  | { op: "exit"; id: number };

/** How the worker classifies a failure; the connection turns it into a typed error. */
export type WorkerErrorKind =
  | "open" // the file could not be opened (missing, not a database, no permission)
  | "gone" // the file was deleted and nothing replaced it
  | "busy" // another connection held the lock past the busy timeout
  | "timeout" // the deadline passed while stepping rows
  | "write-refused" // `execute` without allowWrite on a statement that writes
  | "readonly" // SQLite refused a write (read-only connection or file)
  | "sql"; // anything else SQLite refused

export interface WorkerError {
  kind: WorkerErrorKind;
  message: string;
  /** SQLite's extended code, e.g. `SQLITE_BUSY`, `SQLITE_CONSTRAINT_TRIGGER`. */
  sqliteCode?: string;
}

export type WorkerResponse =
  | { id: number; ok: true; result: unknown; reopened?: boolean }
  | { id: number; ok: false; error: WorkerError; reopened?: boolean };

export type ExecuteResult =
  | { kind: "rows"; rows: Record<string, unknown>[]; truncated: boolean }
  | { kind: "write"; changes: number; lastInsertRowid: number | bigint };

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}
