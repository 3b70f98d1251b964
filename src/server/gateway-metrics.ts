import type { RunTrace, StageName } from "../core/trace.js";
import { Counter, Gauge, Histogram, Registry } from "./prometheus.js";

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const STAGES: readonly StageName[] = ["pseudonymize", "plan", "execute", "context", "answer", "total"];

/** The series `GET /metrics` exposes. None carries a prompt, a value or a user id. */
export function createGatewayMetrics() {
  const registry = new Registry();
  const requests = registry.register(
    new Counter("flm_http_requests_total", "HTTP requests by route and status."),
  );
  const httpSeconds = registry.register(
    new Histogram("flm_http_request_duration_seconds", "Time to the response headers, by route.", SECONDS),
  );
  const stageSeconds = registry.register(
    new Histogram(
      "flm_run_stage_duration_seconds",
      "Duration of each stage of successful runs, from their traces.",
      SECONDS,
    ),
  );
  const tokens = registry.register(
    new Counter(
      "flm_tokens_total",
      "Model tokens by location (cloud planner, local generator) and direction.",
    ),
  );
  const runErrors = registry.register(new Counter("flm_run_errors_total", "Failed runs by error code."));
  const egressBlocked = registry.register(
    new Counter(
      "flm_egress_blocked_total",
      "Runs stopped because a request to a cloud model carried a sensitive value.",
    ),
  );
  const inFlight = registry.register(new Gauge("flm_runs_in_flight", "Runs currently executing."));

  return {
    registry,
    requests,
    httpSeconds,
    stageSeconds,
    tokens,
    runErrors,
    egressBlocked,
    inFlight,
    observeTrace(trace: RunTrace): void {
      for (const stage of STAGES) {
        const ms = trace.stages[stage];
        if (typeof ms === "number") stageSeconds.observe({ stage }, ms / 1000);
      }
      for (const location of ["cloud", "local"] as const) {
        const usage = trace.usage[location];
        tokens.inc({ location, direction: "input" }, usage.inputTokens);
        tokens.inc({ location, direction: "output" }, usage.outputTokens);
      }
    },
    observeError(code: string): void {
      runErrors.inc({ code });
      if (code === "EGRESS_BLOCKED") egressBlocked.inc();
    },
    render: () => registry.render(),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

const ROUTES = new Set([
  "/v1/chat/completions",
  "/v1/models",
  "/v1/admin/index/refresh",
  "/healthz",
  "/metrics",
]);

/** A bounded label set: unknown paths must not create one series each. */
export function routeLabel(path: string): string {
  if (ROUTES.has(path)) return path;
  if (path.startsWith("/v1/traces/")) return "/v1/traces/:id";
  return "other";
}
