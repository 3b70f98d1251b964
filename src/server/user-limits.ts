/**
 * Per-user limits that hold across gateway replicas (issue 17): requests per minute, runs in
 * flight and cloud tokens per day (`users[].limits`). A small store interface: in memory for one
 * process, PostgreSQL (`state.url`) for replicas, where each check-and-take is one atomic statement.
 * One contract: `test/contracts/user-limit-store-contract.ts`.
 */
export interface UserLimits {
  /** Requests accepted in any 60 s (a sliding window). */
  requestsPerMinute?: number;
  /** Runs executing at once, on all replicas together. */
  runsInFlight?: number;
  /** Cloud planner tokens (input + output) per UTC day; a run starts only while some are left. */
  cloudTokensPerDay?: number;
}

export type UserLimitName = keyof UserLimits;

export type LimitDecision =
  | { ok: true }
  | {
      ok: false;
      /** The limit that refused the request. */
      limit: UserLimitName;
      /** When a retry can succeed, in milliseconds from now (at least 1 s is sent as retry-after). */
      retryAfterMs: number;
    };

export interface UserLimitStore {
  /**
   * Checks the user's limits and, when none is reached, counts the request and takes a run slot
   * (`runId`), atomically: two replicas cannot both take the last one. A run slot is held until
   * `release(runId)`, or lapses when its holder stops renewing it (a replica that died).
   */
  acquire(user: string, limits: UserLimits, runId: string): Promise<LimitDecision>;
  /** Gives a run slot back. */
  release(runId: string): Promise<void>;
  /** Counts cloud tokens a run of `user` used today. */
  addCloudTokens(user: string, tokens: number): Promise<void>;
  /** Deletes what no window needs any more; returns how many rows went. */
  prune(): Promise<number>;
  close(): Promise<void>;
}

/** True when at least one limit is set (users without limits cost no store round trip). */
export function hasLimits(limits: UserLimits | undefined): limits is UserLimits {
  return (
    limits !== undefined &&
    (limits.requestsPerMinute !== undefined ||
      limits.runsInFlight !== undefined ||
      limits.cloudTokensPerDay !== undefined)
  );
}

export const DAY_MS = 86_400_000;
/** A run slot lapses this long after its holder last renewed it (a SIGKILLed replica's runs). */
export const DEFAULT_RUN_LEASE_MS = 30_000;
