import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { RunTrace, StageName } from "../core/trace.js";
import { FlmError } from "../errors/flm-error.js";

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const STAGES: readonly StageName[] = [
  "pseudonymize",
  "plan",
  "execute",
  "context",
  "answer",
  "grounding",
  "total",
];

/** How a run ended, as a bounded label. */
export type RunOutcome = "ok" | "error" | "blocked" | "cancelled";

let processRegistry: Registry | undefined;

/**
 * The process and Node.js default metrics (CPU, memory, event-loop lag, GC, handles), collected
 * once per process: every gateway in it exposes the same ones.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Why the egress guard refused a request, as a bounded label: the entity types it found. */
function blockedReasons(error: unknown): string[] {
  const hits = (error as { hits?: Array<{ type?: unknown }> } | undefined)?.hits;
  const types = Array.isArray(hits)
    ? [...new Set(hits.map((h) => (typeof h.type === "string" ? h.type : "unknown")))]
    : [];
  return types.length
    ? types.map((t) =>
        t
          .toLowerCase()
          .replace(/[^a-z0-9_]/g, "_")
          .slice(0, 32),
      )
    : ["unreadable"];
}

/**
 * The series `GET /metrics` exposes (prom-client): the process defaults plus flm's own. No label
 * carries a prompt, a value or a user id; every label set is bounded (routes, stages, codes,
 * configured agent names, entity types).
 */
export function createGatewayMetrics() {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: "flm_http_requests_total",
    help: "HTTP requests by route and status.",
    labelNames: ["method", "route", "status"] as const,
    registers,
  });
  const httpSeconds = new Histogram({
    name: "flm_http_request_duration_seconds",
    help: "Time to the response headers, by route.",
    labelNames: ["route"] as const,
    buckets: SECONDS,
    registers,
  });
  const runs = new Counter({
    name: "flm_runs_total",
    help: "Finished runs by agent (the model name clients send) and outcome (ok, error, blocked, cancelled).",
    labelNames: ["agent", "outcome"] as const,
    registers,
  });
  const stageSeconds = new Histogram({
    name: "flm_run_stage_duration_seconds",
    help: "Duration of each stage of successful runs, from their traces.",
    labelNames: ["stage"] as const,
    buckets: SECONDS,
    registers,
  });
  const tokens = new Counter({
    name: "flm_tokens_total",
    help: "Model tokens by location (cloud planner, local generator) and direction.",
    labelNames: ["location", "direction"] as const,
    registers,
  });
  const runErrors = new Counter({
    name: "flm_run_errors_total",
    help: "Failed runs by error code.",
    labelNames: ["code"] as const,
    registers,
  });
  const egressBlocked = new Counter({
    name: "flm_egress_blocked_total",
    help: "Requests to a cloud model the egress guard refused, by reason (the entity type found, or unreadable).",
    labelNames: ["reason"] as const,
    registers,
  });
  const rejected = new Counter({
    name: "flm_requests_rejected_total",
    help: "Requests refused with an error before any run started, by code (rate_limit_exceeded, server_shutting_down, ...).",
    labelNames: ["code"] as const,
    registers,
  });
  const auditAppends = new Counter({
    name: "flm_audit_appends_total",
    help: "Records appended to the audit log, by decision (allowed, blocked).",
    labelNames: ["decision"] as const,
    registers,
  });
  const inFlight = new Gauge({ name: "flm_runs_in_flight", help: "Runs currently executing.", registers });
  const userLimited = new Counter({
    name: "flm_user_limited_total",
    help: "Requests refused (429) by a per-user limit, by limit.",
    labelNames: ["limit"] as const,
    registers,
  });

  return {
    registry,
    requests,
    httpSeconds,
    runs,
    stageSeconds,
    tokens,
    runErrors,
    egressBlocked,
    rejected,
    auditAppends,
    inFlight,
    userLimited,
    observeTrace(trace: RunTrace, agent = "unknown"): void {
      runs.inc({ agent, outcome: "ok" });
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
    /** A failed run: its code, and for a blocked egress the entity types the guard found. */
    observeError(code: string, error?: unknown, agent = "unknown"): RunOutcome {
      runErrors.inc({ code });
      const outcome: RunOutcome =
        code === "EGRESS_BLOCKED"
          ? "blocked"
          : code === "client_closed_request" || code === "server_shutting_down"
            ? "cancelled"
            : "error";
      runs.inc({ agent, outcome });
      if (code === "EGRESS_BLOCKED") {
        const source = FlmError.isInstance(error) && error.code === "EGRESS_BLOCKED" ? error : undefined;
        for (const reason of blockedReasons(source)) egressBlocked.inc({ reason });
      }
      return outcome;
    },
    /** One value of a series (tests, `flm doctor`): 0 when the series does not exist yet. */
    async value(name: string, labels: Record<string, string> = {}): Promise<number> {
      const metric = registry.getSingleMetric(name);
      if (!metric) return 0;
      const { values } = await metric.get();
      const match = values.find(
        (v) =>
          !(v as { metricName?: string }).metricName?.match(/_(bucket|sum)$/) &&
          Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
      );
      return match?.value ?? 0;
    },
    contentType: registry.contentType,
    /** The exposition: flm's series, then the process's. */
    async render(): Promise<string> {
      return `${await registry.metrics()}\n${await processMetrics().metrics()}`;
    },
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

const ROUTES = new Set([
  "/v1/chat/completions",
  "/v1/models",
  "/v1/admin/index/refresh",
  "/healthz",
  "/readyz",
  "/metrics",
]);

/** A bounded label set: unknown paths must not create one series each. */
export function routeLabel(path: string): string {
  if (ROUTES.has(path)) return path;
  if (path.startsWith("/v1/traces/")) return "/v1/traces/:id";
  if (path === "/console" || path.startsWith("/console/")) return "/console";
  return "other";
}
