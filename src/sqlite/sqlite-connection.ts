import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "./module-worker.js";
import { SqliteError } from "./sqlite-errors.js";
import type {
  ExecuteResult,
  QueryMode,
  RunResult,
  WorkerError,
  WorkerOpenOptions,
  WorkerRequest,
  WorkerResponse,
} from "./sqlite-protocol.js";

export type { ExecuteResult, RunResult } from "./sqlite-protocol.js";

export interface SqliteOptions {
  /** The database file (`:memory:` for a private in-memory database). */
  path: string;
  /** Open read-only (`PRAGMA query_only` too). Default false. */
  readonly?: boolean;
  /** Refuse to create the file. Default: same as `readonly`. */
  fileMustExist?: boolean;
  /** Run after every (re)open, e.g. `["journal_mode = WAL", "synchronous = FULL"]`. */
  pragmas?: string[];
  /** SQL run after the pragmas on every (re)open, e.g. `CREATE TABLE IF NOT EXISTS …`. */
  setupSql?: string;
  /** Default per-statement timeout. Default 5000 ms. */
  statementTimeoutMs?: number;
  /**
   * Longest wait for a lock another connection holds before failing with `SQLITE_BUSY`. Always
   * bounded by the statement's timeout. Default: the statement timeout.
   */
  busyTimeoutMs?: number;
  /**
   * Before each statement, check that `path` still names the file that was opened (device and
   * inode); reopen when it was replaced, fail with `SQLITE_OPEN_FAILED` when it was deleted.
   * Default true.
   */
  reopenOnReplace?: boolean;
  /**
   * Statements that outlived their timeout keep their (abandoned) thread busy until SQLite
   * returns; at this many such threads, new statements fail fast with `SQLITE_OVERLOADED`.
   * Default 2.
   */
  maxStuckWorkers?: number;
  /** Called after the file was found replaced and reopened. */
  onReopen?: () => void;
}

export interface StatementOptions {
  /** Overrides the connection's `statementTimeoutMs`. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface IterateOptions extends StatementOptions {
  /** Rows fetched from the worker per round trip. Default 500. */
  batchSize?: number;
  /** Yield the first column's value instead of row objects. */
  pluck?: boolean;
}

/** What a transaction body may call; every call runs inside the transaction. */
export interface SqliteTransaction {
  run(sql: string, params?: unknown[], options?: StatementOptions): Promise<RunResult>;
  get<T = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: StatementOptions,
  ): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: StatementOptions): Promise<T[]>;
  pluck<T = unknown>(sql: string, params?: unknown[], options?: StatementOptions): Promise<T[]>;
  exec(sql: string, options?: StatementOptions): Promise<void>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface WorkerHandle {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Taking statements. False once closed, dead or abandoned. */
  alive: boolean;
  /** Given up on while inside SQLite: it exits by itself once SQLite returns. */
  abandoned?: boolean;
}

type Request = Omit<Extract<WorkerRequest, { op: "query" }>, "id" | "deadline" | "busyTimeoutMs">;
type CursorRequest = Omit<
  Extract<WorkerRequest, { op: "cursor-open" | "cursor-next" | "cursor-close" }>,
  "id" | "deadline" | "busyTimeoutMs"
>;
type Outgoing =
  | Request
  | CursorRequest
  | { op: "open"; options: WorkerOpenOptions }
  | { op: "close" }
  | { op: "exit" };

/** How long after its deadline a statement is given up on (the worker stops row loops itself). */
const GRACE_MS = 250;
const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * One SQLite connection living in its own worker thread, so that nothing SQLite does (waiting
 * for another process's lock, a long statement) ever blocks the event loop.
 *
 * Statements run one at a time in call order. Each has a deadline: the worker stops a row loop
 * at the deadline itself (the connection stays usable), a lock wait ends before the deadline with
 * `SQLITE_BUSY`, and a statement still inside SQLite 250 ms past its deadline is abandoned: the
 * caller gets `SQLITE_TIMEOUT` at once and the next statement starts a fresh worker (re-running
 * the pragmas). better-sqlite3 cannot interrupt SQLite, and terminating a thread that is inside a
 * native call can abort the whole process, so an abandoned worker is never terminated: it is told
 * to exit and does so, from JavaScript, once SQLite returns. `maxStuckWorkers` bounds how many can
 * be finishing at once; the process waits for them before it exits.
 */
export class SqliteConnection {
  readonly path: string;
  private readonly openOptions: WorkerOpenOptions;
  private readonly timeoutMs: number;
  private readonly busyTimeoutMs: number;
  private readonly maxStuck: number;
  private handle?: WorkerHandle;
  private starting?: Promise<WorkerHandle>;
  private tail: Promise<void> = Promise.resolve();
  private nextId = 0;
  private stuck = 0;
  private closed = false;
  private closing?: Promise<void>;

  private constructor(private readonly options: SqliteOptions) {
    this.path = options.path;
    const readonly = options.readonly ?? false;
    this.openOptions = {
      path: options.path,
      readonly,
      fileMustExist: options.fileMustExist ?? readonly,
      pragmas: options.pragmas ?? [],
      setupSql: options.setupSql,
      reopenOnReplace: options.reopenOnReplace ?? true,
    };
    this.timeoutMs = options.statementTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.busyTimeoutMs = options.busyTimeoutMs ?? this.timeoutMs;
    this.maxStuck = options.maxStuckWorkers ?? 2;
  }

  /** Starts the worker and opens the database; fails with `SQLITE_OPEN_FAILED` (or `SQLITE_BUSY`). */
  static async open(options: SqliteOptions): Promise<SqliteConnection> {
    const connection = new SqliteConnection(options);
    await connection.ensureWorker();
    return connection;
  }

  /** Opens lazily: the worker starts with the first statement. */
  static lazy(options: SqliteOptions): SqliteConnection {
    return new SqliteConnection(options);
  }

  run(sql: string, params: unknown[] = [], options: StatementOptions = {}): Promise<RunResult> {
    return this.serial(options, (h) => this.query(h, "run", sql, params, options)) as Promise<RunResult>;
  }

  get<T = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
    options: StatementOptions = {},
  ): Promise<T | undefined> {
    return this.serial(options, (h) => this.query(h, "get", sql, params, options)).then(
      (row) => withBuffers(row) as T | undefined,
    );
  }

  all<T = Record<string, unknown>>(sql: string, params: unknown[] = [], options: StatementOptions = {}) {
    return this.serial(options, (h) => this.query(h, "all", sql, params, options)).then(
      (rows) => (rows as unknown[]).map(withBuffers) as T[],
    );
  }

  /** The first column of every row. */
  pluck<T = unknown>(sql: string, params: unknown[] = [], options: StatementOptions = {}): Promise<T[]> {
    return this.serial(options, (h) => this.query(h, "pluck", sql, params, options)).then(
      (values) => (values as unknown[]).map(withBuffers) as T[],
    );
  }

  /** Several statements separated by `;`, no parameters. */
  async exec(sql: string, options: StatementOptions = {}): Promise<void> {
    await this.serial(options, (h) => this.query(h, "exec", sql, [], options));
  }

  /**
   * A statement from configuration or a tool: rows (at most `maxRows`, `truncated` when more
   * existed) when it returns data, the change count when it writes. A statement that would change
   * data is refused with `SQLITE_WRITE_REFUSED` before it runs unless `allowWrite`.
   */
  async execute(
    sql: string,
    params: unknown[],
    options: StatementOptions & { maxRows: number; allowWrite?: boolean },
  ): Promise<ExecuteResult> {
    const result = (await this.serial(options, (h) =>
      this.send(
        h,
        {
          op: "query",
          mode: "execute",
          sql,
          params,
          maxRows: options.maxRows,
          allowWrite: options.allowWrite,
        },
        this.deadline(options),
        options.signal,
      ),
    )) as ExecuteResult;
    if (result.kind === "rows") result.rows = result.rows.map(withBuffers) as Record<string, unknown>[];
    return result;
  }

  /**
   * Rows streamed in batches, for result sets too large to hold. The connection is reserved for
   * the iteration (other statements wait); the timeout covers the whole iteration.
   */
  async *iterate<T = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
    options: IterateOptions = {},
  ): AsyncGenerator<T> {
    const release = await this.acquire(options.signal);
    const deadline = this.deadline(options);
    let handle: WorkerHandle | undefined;
    let open = false;
    try {
      handle = await this.ensureWorker();
      await this.sendCursor(
        handle,
        { op: "cursor-open", sql, params, pluck: options.pluck },
        deadline,
        options,
      );
      open = true;
      while (true) {
        const batch = (await this.sendCursor(
          handle,
          { op: "cursor-next", batchSize: options.batchSize ?? 500 },
          deadline,
          options,
        )) as { rows: unknown[]; done: boolean };
        if (batch.done) open = false;
        for (const row of batch.rows) yield withBuffers(row) as T;
        if (batch.done) return;
      }
    } finally {
      if (open && handle?.alive && this.handle === handle) {
        await this.sendCursor(handle, { op: "cursor-close" }, Date.now() + this.timeoutMs, {}).catch(
          () => {},
        );
      }
      release();
    }
  }

  /**
   * Runs `fn` inside `BEGIN <mode>` … `COMMIT` (rolled back when `fn` throws). The connection is
   * reserved meanwhile. `immediate` takes the write lock up front (waiting up to the busy
   * timeout for another process): use it for read-then-write sequences such as appending to a
   * hash chain.
   */
  async transaction<T>(
    fn: (tx: SqliteTransaction) => Promise<T>,
    options: StatementOptions & { mode?: "deferred" | "immediate" | "exclusive" } = {},
  ): Promise<T> {
    const release = await this.acquire(options.signal);
    try {
      const handle = await this.ensureWorker();
      const pinned = (mode: QueryMode, sql: string, params: unknown[], o: StatementOptions = {}) => {
        if (this.handle !== handle || !handle.alive) {
          return Promise.reject(
            new SqliteError(
              "SQLITE_ABORTED",
              "The transaction was rolled back: an earlier statement was stopped.",
            ),
          );
        }
        return this.query(handle, mode, sql, params, { ...o, signal: o.signal ?? options.signal });
      };
      const tx: SqliteTransaction = {
        run: (sql, params = [], o) => pinned("run", sql, params, o) as Promise<RunResult>,
        get: (sql, params = [], o) => pinned("get", sql, params, o).then((r) => withBuffers(r) as never),
        all: (sql, params = [], o) =>
          pinned("all", sql, params, o).then((rows) => (rows as unknown[]).map(withBuffers) as never),
        pluck: (sql, params = [], o) =>
          pinned("pluck", sql, params, o).then((rows) => (rows as unknown[]).map(withBuffers) as never),
        exec: async (sql, o) => {
          await pinned("exec", sql, [], o);
        },
      };
      await this.query(handle, "exec", `BEGIN ${(options.mode ?? "deferred").toUpperCase()}`, [], options);
      let result: T;
      try {
        result = await fn(tx);
        await pinned("exec", "COMMIT", [], options);
      } catch (error) {
        if (this.handle === handle && handle.alive) {
          await this.query(handle, "exec", "ROLLBACK", [], { timeoutMs: this.timeoutMs }).catch(() => {});
        }
        throw error;
      }
      return result;
    } finally {
      release();
    }
  }

  /**
   * Lets the statements already queued finish, then closes the database and stops the worker.
   * Statements issued after `close()` fail with `SQLITE_CLOSED`. Idempotent.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.closing = (async () => {
      const release = await this.acquire(undefined, true);
      try {
        const handle = this.handle;
        this.handle = undefined;
        if (handle?.alive) {
          // A worker that answered is idle (not inside SQLite), so terminating it is safe; one
          // that did not answer in time was abandoned and exits by itself.
          const answered = await this.send(handle, { op: "close" }, Date.now() + 2_000).then(
            () => true,
            () => false,
          );
          handle.alive = false;
          if (answered) await handle.worker.terminate();
        }
      } finally {
        release();
      }
    })();
    return this.closing;
  }

  /** Diagnostics: statements abandoned and still running, and whether a worker is up. */
  status(): { open: boolean; stuckWorkers: number } {
    return { open: Boolean(this.handle?.alive), stuckWorkers: this.stuck };
  }

  private deadline(options: StatementOptions): number {
    return Date.now() + (options.timeoutMs ?? this.timeoutMs);
  }

  private query(
    handle: WorkerHandle,
    mode: QueryMode,
    sql: string,
    params: unknown[],
    options: StatementOptions,
  ): Promise<unknown> {
    const request: Request = { op: "query", mode, sql, params };
    return this.send(handle, request, this.deadline(options), options.signal);
  }

  private sendCursor(
    handle: WorkerHandle,
    request: CursorRequest,
    deadline: number,
    options: StatementOptions,
  ): Promise<unknown> {
    return this.send(handle, request, deadline, options.signal);
  }

  /** Runs `fn` with the connection to itself (statements run one at a time, in call order). */
  private async serial(
    options: StatementOptions,
    fn: (handle: WorkerHandle) => Promise<unknown>,
  ): Promise<unknown> {
    const release = await this.acquire(options.signal);
    try {
      return await fn(await this.ensureWorker());
    } finally {
      release();
    }
  }

  /** A FIFO mutex; a caller whose signal aborts while waiting leaves the queue at once. */
  private acquire(signal?: AbortSignal, evenIfClosed = false): Promise<() => void> {
    if (this.closed && !evenIfClosed) return Promise.reject(closedError(this.path));
    const previous = this.tail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.tail = previous.then(() => mine);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        void previous.then(release); // our turn passes straight on
        reject(abortedError());
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      void previous.then(() => {
        if (signal?.aborted) return;
        signal?.removeEventListener("abort", onAbort);
        resolve(release);
      });
    });
  }

  private ensureWorker(): Promise<WorkerHandle> {
    if (this.handle?.alive) return Promise.resolve(this.handle);
    if (this.stuck >= this.maxStuck) {
      return Promise.reject(
        new SqliteError(
          "SQLITE_OVERLOADED",
          `${this.stuck} statements on ${this.path} outlived their timeout and are still running inside SQLite.`,
          { hint: "Retry later; make the slow statements cheaper (indexes, narrower filters)." },
        ),
      );
    }
    this.starting ??= this.startWorker().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async startWorker(): Promise<WorkerHandle> {
    const worker = await startModuleWorker(import.meta.url, "sqlite-worker", { name: `sqlite ${this.path}` });
    const handle: WorkerHandle = { worker, pending: new Map(), alive: true };
    worker.unref();
    worker.on("message", (response: WorkerResponse) => this.onResponse(handle, response));
    const died = (reason: string) => {
      if (handle.abandoned) {
        handle.abandoned = false;
        this.stuck--;
        return;
      }
      if (!handle.alive) return;
      handle.alive = false;
      if (this.handle === handle) this.handle = undefined;
      const error = new SqliteError("SQLITE_WORKER_FAILED", `The SQLite worker for ${this.path} ${reason}.`, {
        hint: "The next statement starts a new worker.",
      });
      for (const p of handle.pending.values()) p.reject(error);
      handle.pending.clear();
    };
    worker.on("error", (error) => died(`failed: ${error.message}`));
    worker.on("exit", (code) => died(`exited (code ${code})`));
    try {
      await this.send(handle, { op: "open", options: this.openOptions }, Date.now() + this.timeoutMs);
    } catch (error) {
      // An open that answered with an error left the worker idle: safe to terminate. One that
      // timed out was abandoned and exits by itself.
      if (!handle.abandoned) {
        handle.alive = false;
        void worker.terminate();
      }
      throw error;
    }
    this.handle = handle;
    return handle;
  }

  private onResponse(handle: WorkerHandle, response: WorkerResponse): void {
    const pending = handle.pending.get(response.id);
    if (!pending) return;
    handle.pending.delete(response.id);
    if (handle.pending.size === 0) handle.worker.unref();
    if (response.reopened) this.options.onReopen?.();
    if (response.ok) pending.resolve(response.result);
    else pending.reject(this.toError(response.error));
  }

  private send(
    handle: WorkerHandle,
    request: Outgoing,
    deadline: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    if (!handle.alive) return Promise.reject(closedError(this.path));
    if (signal?.aborted) return Promise.reject(abortedError());
    const id = ++this.nextId;
    // Lock waits end well before the deadline, so a busy database reports SQLITE_BUSY, not a timeout.
    const busyTimeoutMs = Math.max(
      0,
      Math.min(this.busyTimeoutMs, Math.floor((deadline - Date.now()) * 0.9)),
    );
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const onAbort = () => this.abandon(handle, abortedError());
      handle.pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      if (handle.pending.size === 1) handle.worker.ref();
      timer = setTimeout(
        () => this.abandon(handle, timeoutError(this.path, deadline)),
        Math.max(0, deadline - Date.now()) + GRACE_MS,
      );
      signal?.addEventListener("abort", onAbort, { once: true });
      handle.worker.postMessage({ ...request, id, deadline, busyTimeoutMs });
    });
  }

  /**
   * Gives up on a worker stuck in SQLite: its callers get `error` now, the next statement starts a
   * new worker, and this one is told to exit, which it does once SQLite returns. It is never
   * terminated: a thread stopped inside a native call can abort the process. It keeps the
   * process alive until it has exited.
   */
  private abandon(handle: WorkerHandle, error: SqliteError): void {
    if (!handle.alive) return;
    handle.alive = false;
    handle.abandoned = true;
    if (this.handle === handle) this.handle = undefined;
    for (const p of handle.pending.values()) p.reject(error);
    handle.pending.clear();
    this.stuck++;
    handle.worker.ref();
    handle.worker.postMessage({ op: "exit", id: ++this.nextId });
  }

  private toError(error: WorkerError): SqliteError {
    const options = { sqliteCode: error.sqliteCode };
    switch (error.kind) {
      case "open":
      case "gone":
        return new SqliteError(
          "SQLITE_OPEN_FAILED",
          `Cannot open SQLite database ${this.path}: ${error.message}`,
          {
            ...options,
            hint: "Check the path exists, is readable and is a SQLite database.",
          },
        );
      case "busy":
        return new SqliteError(
          "SQLITE_BUSY",
          `SQLite database ${this.path} is locked by another connection (waited ${this.busyTimeoutMs} ms at most).`,
          { ...options, hint: "Another process holds a long transaction on it; retry shortly." },
        );
      case "timeout":
        return timeoutError(this.path);
      case "write-refused":
        return new SqliteError("SQLITE_WRITE_REFUSED", error.message, options);
      case "readonly":
        return new SqliteError("SQLITE_READONLY", `SQLite refused a write: ${error.message}`, options);
      default:
        return new SqliteError(
          "SQLITE_QUERY_FAILED",
          `SQLite refused the statement: ${error.message}`,
          options,
        );
    }
  }
}

function timeoutError(path: string, deadline?: number): SqliteError {
  const late = deadline ? ` (${Math.max(0, Date.now() - deadline)} ms past its deadline)` : "";
  return new SqliteError(
    "SQLITE_TIMEOUT",
    `A statement on ${path} ran past its timeout and was stopped${late}.`,
    {
      hint: "Narrow the query or raise the statement timeout.",
    },
  );
}

function abortedError(): SqliteError {
  return new SqliteError("SQLITE_ABORTED", "The statement was cancelled.");
}

function closedError(path: string): SqliteError {
  return new SqliteError("SQLITE_CLOSED", `The SQLite connection to ${path} is closed.`);
}

/** Blobs come back from the worker as Uint8Array (structured clone); callers expect Buffers. */
function withBuffers(row: unknown): unknown {
  if (row instanceof Uint8Array)
    return Buffer.isBuffer(row) ? row : Buffer.from(row.buffer, row.byteOffset, row.byteLength);
  if (typeof row !== "object" || row === null) return row;
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
      (row as Record<string, unknown>)[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return row;
}
