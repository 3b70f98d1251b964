import type { TokenUsage } from "../core/trace.js";
import { GatewayError } from "./gateway-errors.js";
import type { GatewayMetrics } from "./gateway-metrics.js";
import type { GatewayUser } from "./token-auth.js";
import { hasLimits, type UserLimitName, type UserLimitStore, type UserLimits } from "./user-limits.js";

/** What an admitted request holds: its run slot (given back once) and where its cloud tokens go. */
export interface UserSlot {
  release(): void;
  countTokens(usage: TokenUsage): Promise<void>;
}

export interface UserAdmission {
  /** Takes a slot for the caller's run, or throws 429 with retry-after when a limit is reached. */
  admit(userId: string, runId: string): Promise<UserSlot>;
}

const FREE: UserSlot = { release: () => {}, countTokens: async () => {} };

const WHAT: Record<UserLimitName, string> = {
  requestsPerMinute: "requests per minute",
  runsInFlight: "runs in flight",
  cloudTokensPerDay: "cloud tokens per day",
};

/**
 * Per-user limits at the gateway's door. Users without limits cost nothing; the others cost one
 * store round trip to admit, one to give the run slot back and one to count cloud tokens. A store
 * that cannot be reached refuses the request (503, STATE_STORE_UNAVAILABLE) rather than run it uncounted.
 */
export function createUserAdmission(
  users: readonly GatewayUser[],
  store: UserLimitStore,
  metrics: GatewayMetrics,
  onError: (error: unknown) => void = () => {},
): UserAdmission {
  const limitsOf = new Map<string, UserLimits>();
  for (const u of users) if (hasLimits(u.limits)) limitsOf.set(u.id, u.limits);
  return {
    async admit(userId, runId) {
      const limits = limitsOf.get(userId);
      if (!limits) return FREE;
      const decision = await store.acquire(userId, limits, runId);
      if (!decision.ok) {
        metrics.userLimited.inc({ limit: decision.limit });
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        throw new GatewayError(
          429,
          "rate_limit_exceeded",
          `You have reached your limit of ${limits[decision.limit]} ${WHAT[decision.limit]}.`,
          { hint: `Retry after ${seconds} s (retry-after).`, headers: { "retry-after": String(seconds) } },
        );
      }
      let released = false;
      return {
        release: () => {
          if (released || limits.runsInFlight === undefined) return;
          released = true;
          store.release(runId).catch(onError);
        },
        countTokens: async (usage) => {
          if (limits.cloudTokensPerDay === undefined) return;
          await store.addCloudTokens(userId, usage.inputTokens + usage.outputTokens).catch(onError);
        },
      };
    },
  };
}
