/**
 * A witness's memory: for each log origin, the latest checkpoint it co-signed. One SQLite file
 * (WAL, synchronous=FULL): the check against the stored size and the update run in one
 * `BEGIN IMMEDIATE` transaction that commits before the witness answers, so a crash or a
 * concurrent request can never make it co-sign a smaller or forked tree than it already did.
 */
import Database from "better-sqlite3";
import { AuditStoreError } from "../audit-errors.js";

export interface WitnessedLog {
  origin: string;
  size: number;
  /** Base64 root hash. */
  rootHash: string;
  /** The checkpoint as co-signed: its text, the log's signatures and this witness's cosignature. */
  checkpoint: string;
  updatedAt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS witness_logs (
  origin TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  root_hash TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS witness_history (
  id INTEGER PRIMARY KEY,
  origin TEXT NOT NULL,
  size INTEGER NOT NULL,
  root_hash TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS witness_evidence (
  id INTEGER PRIMARY KEY,
  origin TEXT NOT NULL,
  reason TEXT NOT NULL,
  request TEXT NOT NULL,
  at TEXT NOT NULL
);`;

export class WitnessState {
  readonly db: Database.Database;

  constructor(path: string) {
    try {
      this.db = new Database(path, { timeout: 5000 });
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = FULL");
      this.db.exec(SCHEMA);
    } catch (cause) {
      throw new AuditStoreError(`Could not open the witness database at ${path}.`, {
        cause,
        hint: "Check that the directory exists and is writable. A witness whose database is lost must get a new key (it would co-sign anything again).",
      });
    }
  }

  get(origin: string): WitnessedLog | undefined {
    const row = this.db.prepare("SELECT * FROM witness_logs WHERE origin = ?").get(origin) as
      | Record<string, unknown>
      | undefined;
    return row && fromRow(row);
  }

  all(): WitnessedLog[] {
    return (
      this.db.prepare("SELECT * FROM witness_logs ORDER BY origin").all() as Record<string, unknown>[]
    ).map(fromRow);
  }

  /**
   * Runs `decide(current)` and, if it returns a new state, stores it, all in one write transaction.
   * `decide` must be synchronous: nothing else can run between the check and the write.
   */
  update<T>(
    origin: string,
    decide: (current: WitnessedLog | undefined) => { next?: WitnessedLog; result: T },
  ): T {
    const tx = this.db.transaction(() => {
      const { next, result } = decide(this.get(origin));
      if (next) {
        this.db
          .prepare(
            `INSERT INTO witness_logs (origin, size, root_hash, checkpoint, updated_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash,
               checkpoint = excluded.checkpoint, updated_at = excluded.updated_at`,
          )
          .run(next.origin, next.size, next.rootHash, next.checkpoint, next.updatedAt);
        this.db
          .prepare(
            "INSERT INTO witness_history (origin, size, root_hash, checkpoint, at) VALUES (?, ?, ?, ?, ?)",
          )
          .run(next.origin, next.size, next.rootHash, next.checkpoint, next.updatedAt);
      }
      return result;
    });
    return tx.immediate();
  }

  /** Keeps a validly signed request that was refused: possible proof that the log misbehaved. */
  keepEvidence(origin: string, reason: string, request: string): void {
    this.db
      .prepare("INSERT INTO witness_evidence (origin, reason, request, at) VALUES (?, ?, ?, ?)")
      .run(origin, reason, request, new Date().toISOString());
  }

  evidence(): Array<{ origin: string; reason: string; request: string; at: string }> {
    return this.db
      .prepare("SELECT origin, reason, request, at FROM witness_evidence ORDER BY id")
      .all() as Array<{
      origin: string;
      reason: string;
      request: string;
      at: string;
    }>;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function fromRow(row: Record<string, unknown>): WitnessedLog {
  return {
    origin: String(row.origin),
    size: Number(row.size),
    rootHash: String(row.root_hash),
    checkpoint: String(row.checkpoint),
    updatedAt: String(row.updated_at),
  };
}
