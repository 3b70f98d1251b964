import { setTimeout as sleep } from "node:timers/promises";
import { APICallError } from "ai";
import { PlannerRateLimitedError } from "./plan-errors.js";

export interface RateLimitRetryOptions {
  signal: AbortSignal;
  /** Epoch ms by which the planner must have answered (its timeout); unknown: `maxWaitMs` per wait. */
  deadline?: number;
  /** Retries after the first rate-limited call. Default 3. */
  retries?: number;
  /** Longest single wait when no deadline is known. Default 20 s. */
  maxWaitMs?: number;
  /** False when a retry would repeat something already done (a streamed reply's reported steps). */
  canRetry?: () => boolean;
}

/** Time kept for the call itself after a wait: waiting until the deadline to then time out helps nobody. */
const MIN_CALL_MS = 1_000;

/**
 * Runs `call`, retrying when the provider rate-limits (HTTP 429, or 503 with Retry-After): it waits
 * what `retry-after-ms` / `retry-after` (seconds or an HTTP date) asks, or 1 s, 2 s, 4 s without
 * one, as long as the wait leaves time before the deadline. Otherwise it fails at once with
 * `PLANNER_RATE_LIMITED`, saying how long the provider asked to wait. Other errors pass through.
 */
export async function withRateLimitRetry<T>(
  call: () => Promise<T>,
  options: RateLimitRetryOptions,
): Promise<T> {
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const limited = rateLimit(error);
      if (!limited) throw error;
      const wait = limited.retryAfterMs ?? 1_000 * 2 ** attempt;
      const room =
        options.deadline !== undefined
          ? options.deadline - Date.now() - MIN_CALL_MS
          : (options.maxWaitMs ?? 20_000);
      if (attempt >= retries || wait > room || options.canRetry?.() === false) {
        throw new PlannerRateLimitedError({
          status: limited.status,
          retryAfterMs: limited.retryAfterMs,
          attempts: attempt + 1,
          tooLong: wait > room,
          cause: error,
        });
      }
      await sleep(wait, undefined, { signal: options.signal });
    }
  }
}

function rateLimit(error: unknown): { status: number; retryAfterMs?: number } | undefined {
  if (!APICallError.isInstance(error)) return undefined;
  const status = error.statusCode ?? 0;
  const retryAfterMs = retryAfter(error.responseHeaders ?? {});
  if (status === 429 || (status === 503 && retryAfterMs !== undefined)) return { status, retryAfterMs };
  return undefined;
}

/** `retry-after-ms` (OpenAI), else `retry-after` in seconds or as an HTTP date. */
export function retryAfter(headers: Record<string, string | undefined>): number | undefined {
  const get = (name: string) =>
    Object.entries(headers)
      .find(([k]) => k.toLowerCase() === name)?.[1]
      ?.trim();
  const ms = Number(get("retry-after-ms"));
  if (get("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return ms;
  const value = get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
