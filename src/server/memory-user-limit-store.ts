import { DAY_MS, type LimitDecision, type UserLimitStore, type UserLimits } from "./user-limits.js";

export interface MemoryUserLimitStoreOptions {
  /** The requests-per-minute window. Default 60,000 ms (tests shorten it). */
  windowMs?: number;
  now?: () => number;
}

/** One process's per-user counters (a single replica). */
export class MemoryUserLimitStore implements UserLimitStore {
  private readonly requests = new Map<string, number[]>();
  private readonly runs = new Map<string, string>();
  private readonly tokens = new Map<string, { day: number; tokens: number }>();
  private readonly windowMs: number;
  private readonly now: () => number;
  private closed = false;

  constructor(options: MemoryUserLimitStoreOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async acquire(user: string, limits: UserLimits, runId: string): Promise<LimitDecision> {
    this.open();
    const now = this.now();
    const day = Math.floor(now / DAY_MS);
    if (limits.cloudTokensPerDay !== undefined) {
      const used = this.tokens.get(user);
      if (used && used.day === day && used.tokens >= limits.cloudTokensPerDay)
        return { ok: false, limit: "cloudTokensPerDay", retryAfterMs: (day + 1) * DAY_MS - now };
    }
    if (limits.runsInFlight !== undefined) {
      let n = 0;
      for (const holder of this.runs.values()) if (holder === user) n++;
      if (n >= limits.runsInFlight) return { ok: false, limit: "runsInFlight", retryAfterMs: 1_000 };
    }
    if (limits.requestsPerMinute !== undefined) {
      const times = (this.requests.get(user) ?? []).filter((t) => t > now - this.windowMs);
      this.requests.set(user, times);
      if (times.length >= limits.requestsPerMinute)
        return { ok: false, limit: "requestsPerMinute", retryAfterMs: times[0]! + this.windowMs - now };
      times.push(now);
    }
    if (limits.runsInFlight !== undefined) this.runs.set(runId, user);
    return { ok: true };
  }

  async release(runId: string): Promise<void> {
    this.runs.delete(runId);
  }

  async addCloudTokens(user: string, tokens: number): Promise<void> {
    this.open();
    const day = Math.floor(this.now() / DAY_MS);
    const used = this.tokens.get(user);
    this.tokens.set(user, { day, tokens: (used?.day === day ? used.tokens : 0) + tokens });
  }

  async prune(): Promise<number> {
    const now = this.now();
    let removed = 0;
    for (const [user, times] of this.requests) {
      const live = times.filter((t) => t > now - this.windowMs);
      removed += times.length - live.length;
      if (live.length) this.requests.set(user, live);
      else this.requests.delete(user);
    }
    const day = Math.floor(now / DAY_MS);
    for (const [user, used] of this.tokens)
      if (used.day < day) {
        this.tokens.delete(user);
        removed++;
      }
    return removed;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private open(): void {
    if (this.closed) throw new Error("the user-limit store is closed");
  }
}
