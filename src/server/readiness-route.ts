import type { Context } from "hono";
import type { ReadinessReport } from "../core/readiness.js";

export interface ReadinessOptions {
  check: () => Promise<ReadinessReport>;
  /** A result is reused this long (default 5 s), so probes from a balancer do not hammer the models. */
  cacheMs: number;
  draining: () => boolean;
  now?: () => number;
}

/**
 * GET /readyz: 200 only when every model answers and every source opens (as `check` reports), 503
 * otherwise or while draining. One check runs at a time and its result is cached briefly. The body
 * names each check and its error code, never details (the endpoint needs no token).
 */
export function readinessHandler(options: ReadinessOptions) {
  const now = options.now ?? Date.now;
  let cached: { at: number; report: ReadinessReport } | undefined;
  let running: Promise<ReadinessReport> | undefined;
  const report = async (): Promise<{ at: number; report: ReadinessReport }> => {
    if (cached && now() - cached.at < options.cacheMs) return cached;
    running ??= options
      .check()
      .catch(
        (error): ReadinessReport => ({
          ready: false,
          checks: [{ name: "readiness", kind: "source", ok: false, ms: 0, code: codeOf(error) }],
        }),
      )
      .finally(() => {
        running = undefined;
      });
    const result = await running;
    cached = { at: now(), report: result };
    return cached;
  };
  return async (c: Context) => {
    if (options.draining()) return c.json({ status: "draining", checks: [] }, 503);
    const { at, report: r } = await report();
    return c.json(
      {
        status: r.ready ? "ready" : "not_ready",
        checkedAt: new Date(at).toISOString(),
        checks: r.checks.map(({ detail: _detail, ...check }) => check),
      },
      r.ready ? 200 : 503,
    );
  };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : "CHECK_FAILED";
}
