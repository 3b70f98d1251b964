/**
 * The worker thread behind one `SqliteConnection`: it owns one better-sqlite3 connection and runs
 * requests one at a time, so SQLite's synchronous work (lock waits, long statements) never runs
 * on the event loop. Only Node built-ins and better-sqlite3 are imported at run time: in a
 * source checkout this file is transpiled on its own and evaluated in the worker.
 */
import { statSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import Database from "better-sqlite3";
import type {
  CursorRequest,
  QueryRequest,
  WorkerError,
  WorkerErrorKind,
  WorkerOpenOptions,
  WorkerRequest,
  WorkerResponse,
} from "./sqlite-protocol.js";

const STATEMENT_CACHE = 256;

class Fail extends Error {
  constructor(
    readonly kind: WorkerErrorKind,
    message: string,
  ) {
    super(message);
  }
}

let options: WorkerOpenOptions | undefined;
let db: Database.Database | undefined;
let identity: { dev: number; ino: number } | undefined;
let busyTimeout = -1;
const statements = new Map<string, Database.Statement>();
let cursor: { it: IterableIterator<unknown>; pluck: boolean } | undefined;

function open(opts: WorkerOpenOptions): void {
  options = opts;
  const handle = new Database(opts.path, { readonly: opts.readonly, fileMustExist: opts.fileMustExist });
  try {
    if (opts.readonly) handle.pragma("query_only = ON");
    for (const pragma of opts.pragmas) handle.pragma(pragma);
    if (opts.setupSql) handle.exec(opts.setupSql);
  } catch (error) {
    handle.close();
    throw error;
  }
  db = handle;
  busyTimeout = -1;
  statements.clear();
  identity = opts.reopenOnReplace ? fileIdentity(opts.path) : undefined;
}

function fileIdentity(path: string): { dev: number; ino: number } | undefined {
  if (path === ":memory:" || path === "") return undefined;
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? { dev: st.dev, ino: st.ino } : undefined;
}

/**
 * Reopens when the path now names another file (replaced by a rename or a copy), or when an
 * earlier reopen failed. Never inside a transaction or while a cursor is open.
 */
function checkReplaced(): boolean {
  if (!db && options) {
    open(options);
    return true;
  }
  if (!options?.reopenOnReplace || !identity || !db || db.inTransaction || cursor) return false;
  const now = fileIdentity(options.path);
  if (!now) {
    throw new Fail(
      "gone",
      `The SQLite file ${options.path} was deleted and nothing replaced it; refusing to serve the deleted copy.`,
    );
  }
  if (now.dev === identity.dev && now.ino === identity.ino) return false;
  db.close();
  db = undefined;
  open(options);
  return true;
}

function connection(): Database.Database {
  if (!db) throw new Fail("open", "The connection is not open.");
  return db;
}

function statement(sql: string, pluck = false): Database.Statement {
  const key = pluck ? `\u0000pluck\u0000${sql}` : sql;
  let stmt = statements.get(key);
  if (stmt) {
    statements.delete(key); // re-inserted below: most recently used last
  } else {
    stmt = connection().prepare(sql);
    if (pluck) stmt.pluck(true);
  }
  statements.set(key, stmt);
  if (statements.size > STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
  return stmt;
}

function setBusyTimeout(request: { deadline: number; busyTimeoutMs: number }): void {
  const ms = Math.max(0, Math.min(request.busyTimeoutMs, request.deadline - Date.now()));
  if (ms !== busyTimeout) {
    connection().pragma(`busy_timeout = ${Math.floor(ms)}`);
    busyTimeout = ms;
  }
}

function bindable(params: unknown[]): unknown[] {
  // Buffers arrive as plain Uint8Arrays (structured clone); better-sqlite3 binds Buffers.
  return params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p) : p));
}

function timeout(): Fail {
  return new Fail("timeout", "The statement ran past its deadline.");
}

function collect(
  it: IterableIterator<unknown>,
  deadline: number,
  maxRows = Number.POSITIVE_INFINITY,
): { rows: unknown[]; truncated: boolean } {
  const rows: unknown[] = [];
  let truncated = false;
  for (const row of it) {
    if (rows.length >= maxRows) {
      truncated = true;
      break; // returns the iterator: the statement is reset
    }
    rows.push(row);
    if (Date.now() > deadline) {
      it.return?.();
      throw timeout();
    }
  }
  return { rows, truncated };
}

function query(request: QueryRequest): unknown {
  setBusyTimeout(request);
  const params = bindable(request.params);
  switch (request.mode) {
    case "exec":
      connection().exec(request.sql);
      return undefined;
    case "run": {
      const info = statement(request.sql).run(...params);
      return { changes: info.changes, lastInsertRowid: info.lastInsertRowid };
    }
    case "get":
      return statement(request.sql).get(...params);
    case "all":
      return collect(statement(request.sql).iterate(...params), request.deadline).rows;
    case "pluck":
      return collect(statement(request.sql, true).iterate(...params), request.deadline).rows;
    case "execute": {
      const stmt = statement(request.sql);
      if (!stmt.readonly && !request.allowWrite) {
        throw new Fail("write-refused", "The statement would change data and writes are not allowed here.");
      }
      if (stmt.reader) {
        const { rows, truncated } = collect(stmt.iterate(...params), request.deadline, request.maxRows);
        return { kind: "rows", rows, truncated };
      }
      const info = stmt.run(...params);
      return { kind: "write", changes: info.changes, lastInsertRowid: info.lastInsertRowid };
    }
  }
}

function cursorStep(request: CursorRequest): unknown {
  if (request.op === "cursor-open") {
    setBusyTimeout(request);
    const pluck = request.pluck === true;
    cursor = { it: statement(request.sql!, pluck).iterate(...bindable(request.params ?? [])), pluck };
    return undefined;
  }
  if (!cursor) return { rows: [], done: true };
  if (request.op === "cursor-close") {
    cursor.it.return?.();
    cursor = undefined;
    return undefined;
  }
  const rows: unknown[] = [];
  const batch = request.batchSize ?? 500;
  while (rows.length < batch) {
    const next = cursor.it.next();
    if (next.done) {
      cursor = undefined;
      return { rows, done: true };
    }
    rows.push(next.value);
    if (Date.now() > request.deadline) {
      cursor.it.return?.();
      cursor = undefined;
      throw timeout();
    }
  }
  return { rows, done: false };
}

function toWorkerError(error: unknown): WorkerError {
  if (error instanceof Fail) return { kind: error.kind, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  const sqliteCode = typeof code === "string" && code.startsWith("SQLITE_") ? code : undefined;
  let kind: WorkerErrorKind = "sql";
  if (sqliteCode?.startsWith("SQLITE_BUSY") || sqliteCode?.startsWith("SQLITE_LOCKED")) kind = "busy";
  else if (sqliteCode?.startsWith("SQLITE_READONLY") || /query_only|readonly database/i.test(message))
    kind = "readonly";
  return { kind, message, sqliteCode };
}

function handle(request: Exclude<WorkerRequest, { op: "exit" }>): WorkerResponse {
  let reopened = false;
  try {
    if (request.op === "open") {
      try {
        open(request.options);
      } catch (error) {
        const e = toWorkerError(error);
        return { id: request.id, ok: false, error: { ...e, kind: e.kind === "busy" ? "busy" : "open" } };
      }
      return { id: request.id, ok: true, result: undefined };
    }
    if (request.op === "close") {
      cursor?.it.return?.();
      cursor = undefined;
      statements.clear();
      if (db?.open) db.close();
      db = undefined;
      return { id: request.id, ok: true, result: undefined };
    }
    if (request.op !== "cursor-next" && request.op !== "cursor-close") reopened = checkReplaced();
    const result = request.op === "query" ? query(request) : cursorStep(request);
    return { id: request.id, ok: true, result, reopened };
  } catch (error) {
    return { id: request.id, ok: false, error: toWorkerError(error), reopened };
  }
}

parentPort?.on("message", (request: WorkerRequest) => {
  if (request.op === "exit") {
    cursor = undefined;
    statements.clear();
    if (db?.open) db.close();
    process.exit(0); // in a worker: ends this thread only, from JavaScript (never mid-statement)
  }
  parentPort!.postMessage(handle(request));
});
