/**
 * Where the values flm gave a user stay tainted across requests (issue 11, item 1): tool-result
 * values and answers, per subject (a gateway user, or a conversation), each until it expires. A
 * small async interface so replicas can share it (an in-memory store here; PostgreSQL behind the
 * same contract, `test/contracts/answer-taint-store-contract.ts`).
 *
 * The store holds the values themselves: it is as sensitive as the data sources and must stay in
 * the building, like the audit log.
 */
export interface TaintEntry {
  /** A value as flm gave it: a tool-result string or number, or an answer's text. */
  value: string;
  /** How a later prompt's placeholder for it is typed (`RESULT_VALUE`, `ANSWER_TEXT`, ...). */
  type: string;
  /** Where it came from, never the value: `run-…/s2`, `run-…/answer`. */
  origin: string;
  /** Epoch milliseconds after which it is no longer tainted. */
  expiresAt: number;
}

export interface TaintReadOptions {
  /** Only entries recorded after this cursor (from an earlier read); all when absent. */
  after?: string;
  /** Entries expired at this time (epoch ms) are left out. Default: now. */
  now?: number;
}

export interface TaintRead {
  entries: TaintEntry[];
  /** Pass as `after` to read only what was recorded since. */
  cursor: string;
}

export interface AnswerTaintStore {
  /**
   * Records values given to `subject`. A value (with its type) already live for the subject is
   * not stored twice: its expiry moves to the later of the two.
   */
  add(subject: string, entries: readonly TaintEntry[]): Promise<void>;
  /** Live entries of `subject`, in the order they were first recorded. */
  read(subject: string, options?: TaintReadOptions): Promise<TaintRead>;
  /** Deletes expired entries (all subjects); returns how many. */
  prune(now?: number): Promise<number>;
  /** Deletes everything recorded for `subject`. */
  forget(subject: string): Promise<void>;
  close(): Promise<void>;
}
