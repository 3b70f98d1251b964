import type { AnswerTaintStore, TaintEntry, TaintRead, TaintReadOptions } from "./answer-taint-store.js";

export interface MemoryAnswerTaintStoreOptions {
  /** Most live entries kept per subject; the soonest to expire go first. Default 50,000. */
  maxEntriesPerSubject?: number;
  /** Most subjects kept; the least recently written go first. Default 10,000. */
  maxSubjects?: number;
}

interface Stored extends TaintEntry {
  seq: number;
}

/**
 * One process's answer taint, bounded: per subject a map from value to its entry, in order of
 * first recording. Entries past the bounds are dropped (counted in `dropped`): a deployment that
 * reaches them needs a shared store with room (PostgreSQL) or a shorter taint window.
 */
export class MemoryAnswerTaintStore implements AnswerTaintStore {
  private readonly subjects = new Map<string, Map<string, Stored>>();
  private readonly maxPerSubject: number;
  private readonly maxSubjects: number;
  private seq = 0;
  private closed = false;
  /** Entries dropped to stay within the bounds (not by expiry). */
  dropped = 0;

  constructor(options: MemoryAnswerTaintStoreOptions = {}) {
    this.maxPerSubject = options.maxEntriesPerSubject ?? 50_000;
    this.maxSubjects = options.maxSubjects ?? 10_000;
  }

  async add(subject: string, entries: readonly TaintEntry[]): Promise<void> {
    this.open();
    let values = this.subjects.get(subject);
    if (values) this.subjects.delete(subject); // re-inserted below: most recently written last
    values ??= new Map();
    this.subjects.set(subject, values);
    for (const e of entries) {
      const key = `${e.type}\u0000${e.value}`;
      const existing = values.get(key);
      if (existing && existing.expiresAt > Date.now())
        existing.expiresAt = Math.max(existing.expiresAt, e.expiresAt);
      else {
        values.delete(key);
        values.set(key, {
          value: e.value,
          type: e.type,
          origin: e.origin,
          expiresAt: e.expiresAt,
          seq: ++this.seq,
        });
      }
    }
    if (values.size > this.maxPerSubject) this.trim(values);
    while (this.subjects.size > this.maxSubjects) {
      const [oldest, dropped] = this.subjects.entries().next().value as [string, Map<string, Stored>];
      this.dropped += dropped.size;
      this.subjects.delete(oldest);
    }
  }

  async read(subject: string, options: TaintReadOptions = {}): Promise<TaintRead> {
    this.open();
    const now = options.now ?? Date.now();
    const after = options.after === undefined ? 0 : Number(options.after);
    const entries: TaintEntry[] = [];
    for (const e of this.subjects.get(subject)?.values() ?? [])
      if (e.seq > after && e.expiresAt > now)
        entries.push({ value: e.value, type: e.type, origin: e.origin, expiresAt: e.expiresAt });
    return { entries, cursor: String(this.seq) };
  }

  async prune(now = Date.now()): Promise<number> {
    this.open();
    let removed = 0;
    for (const [subject, values] of this.subjects) {
      for (const [key, e] of values)
        if (e.expiresAt <= now) {
          values.delete(key);
          removed++;
        }
      if (values.size === 0) this.subjects.delete(subject);
    }
    return removed;
  }

  async forget(subject: string): Promise<void> {
    this.open();
    this.subjects.delete(subject);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subjects.clear();
  }

  private trim(values: Map<string, Stored>): void {
    const now = Date.now();
    for (const [key, e] of values) if (e.expiresAt <= now) values.delete(key);
    if (values.size <= this.maxPerSubject) return;
    const bySoonest = [...values].sort((a, b) => a[1].expiresAt - b[1].expiresAt || a[1].seq - b[1].seq);
    for (const [key] of bySoonest.slice(0, values.size - this.maxPerSubject)) {
      values.delete(key);
      this.dropped++;
    }
  }

  private open(): void {
    if (this.closed) throw new Error("the answer-taint store is closed");
  }
}
