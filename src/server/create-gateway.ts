import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "pino";
import type { Agent } from "../core/agent.js";
import type { RunTelemetry } from "../core/run-telemetry.js";
import type { ReadinessReport } from "../core/readiness.js";
import { FlmError } from "../errors/flm-error.js";
import type { Caller } from "../tools/caller.js";
import { type GatewayAdmin, refreshIndexHandler } from "./admin-routes.js";
import { chatCompletionsHandler } from "./chat-completions-route.js";
import { errorResponse } from "./chat-run.js";
import { GatewayConfigError, GatewayError, gatewayErrorFor } from "./gateway-errors.js";
import { createGatewayMetrics, type GatewayMetrics, routeLabel } from "./gateway-metrics.js";
import { logRequest, type RequestRecord, requestIdFrom } from "./request-log.js";
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts, httpServerOptions } from "./http-server-options.js";
import { modelsHandler } from "./info-routes.js";
import { type ListeningGateway, listenGateway } from "./listen-gateway.js";
import { readinessHandler } from "./readiness-route.js";
import { createRunRegistry } from "./run-registry.js";
import { bearerAuth, createTokenAuth, type GatewayUser } from "./token-auth.js";
import { traceHandler } from "./trace-route.js";
import { lazyTraceStore } from "../traces/lazy-trace-store.js";
import { openSqliteTraceStore } from "../traces/sqlite-trace-store.js";
import { DEFAULT_TRACE_LIMITS, type TraceStore } from "../traces/trace-store.js";
import { MemoryUserLimitStore } from "./memory-user-limit-store.js";
import { createUserAdmission } from "./user-admission.js";
import type { UserLimitStore } from "./user-limits.js";

export type { ListeningGateway };

export interface GatewayLimits extends HttpTimeouts {
  /** Largest request body accepted (413 above). */
  maxBodyBytes: number;
  /** Longest prompt (the last user turn) in characters (400 above). */
  maxPromptChars: number;
  /** Runs executing at once across all users (429 above, with retry-after). */
  maxConcurrentRuns: number;
  /** A run still going after this is cancelled: 504, or an error chunk once streaming. */
  requestTimeoutMs: number;
  /** How long close() waits for running requests before aborting them. */
  drainTimeoutMs: number;
  /** How long GET /readyz reuses a readiness check's result. */
  readinessCacheMs: number;
  /**
   * On close(), how long the gateway first stays up answering 503 (health checks `draining`, new
   * chat requests `server_shutting_down`) before it stops listening: the balancer takes the replica
   * out of rotation while its runs finish. 0: stop listening at once.
   */
  drainDelayMs: number;
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  maxBodyBytes: 1_000_000,
  maxPromptChars: 20_000,
  maxConcurrentRuns: 64,
  requestTimeoutMs: 300_000,
  drainTimeoutMs: 10_000,
  readinessCacheMs: 5000,
  drainDelayMs: 0,
  ...DEFAULT_HTTP_TIMEOUTS,
};

export interface GatewayOptions {
  /** Model name clients send → agent. The first is used when a request names no model. */
  agents: Record<string, Agent>;
  /** Model name → a line for GET /v1/models (an extra `description` field, which the OpenAI spec allows). */
  descriptions?: Record<string, string | undefined>;
  users: GatewayUser[];
  limits?: Partial<GatewayLimits>;
  /**
   * Where runs are kept for GET /v1/traces/:id (and the console). Default: an in-memory SQLite
   * store (64 MiB, 30 days) owned and closed by the gateway; `flm serve` passes the configured one.
   */
  traceStore?: TraceStore;
  /**
   * What GET /readyz checks: that the models answer and the sources open (`flm serve` passes the
   * runtime's probe). Default: every agent's tools load (its sources open).
   */
  readiness?: () => Promise<ReadinessReport>;
  /** More apps under a path prefix, e.g. `{ "/console": createConsole(...) }`. */
  mount?: Record<string, Hono<any>>;
  /**
   * One structured line per request (pino): request id, user, agent, status, durations, tokens;
   * never prompt text or values. Unexpected (non-flm) errors are logged here with their stack.
   */
  logger?: Logger;
  /** Each finished run (and each failed one with a trace) as OpenTelemetry spans. */
  telemetry?: RunTelemetry;
  /** Where unexpected (non-flm) errors are reported; defaults to the logger, or console.error. */
  onError?: (error: unknown) => void;
  /**
   * Where per-user limits (`users[].limits`) are counted: in memory by default (one replica);
   * PostgreSQL (`state.url`) so they hold across replicas.
   */
  userLimits?: UserLimitStore;
  /** Behind /v1/admin/* (users with the `admin` role): refreshing the sensitive index. */
  admin?: GatewayAdmin;
}

export interface Gateway {
  app: Hono<Env>;
  metrics: GatewayMetrics;
  listen(options?: { port?: number; host?: string }): Promise<ListeningGateway>;
  /** Runs executing now. */
  inFlight(): number;
}

type Env = { Variables: { caller: Caller; request: RequestRecord } };

/**
 * The OpenAI-compatible gateway: bearer-token auth, GET /v1/models, POST /v1/chat/completions
 * (admission.ts → run-registry.ts → respond-json.ts / respond-sse.ts), GET /v1/traces/:id for the
 * run's owner, POST /v1/admin/index/refresh for admins, /healthz, /readyz and /metrics. A new route goes
 * here, its handler in a file of its own.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const modelNames = checkedModelNames(options);
  const limits: GatewayLimits = { ...DEFAULT_GATEWAY_LIMITS, ...options.limits };
  httpServerOptions(limits); // a bad timeout is a configuration error now, not at listen()
  const memoryLimits = { ...DEFAULT_TRACE_LIMITS, maxStoreBytes: 64 * 1024 * 1024 };
  const traces =
    options.traceStore ??
    lazyTraceStore(
      () => openSqliteTraceStore({ path: ":memory:", limits: memoryLimits }),
      "memory",
      memoryLimits,
    );
  const metrics = createGatewayMetrics();
  const logger = options.logger;
  const onError =
    options.onError ??
    (logger
      ? (e: unknown) => logger.error({ err: e }, "unexpected error")
      : (e: unknown) => console.error("[flm gateway]", e));
  const runs = createRunRegistry(limits.requestTimeoutMs, metrics);
  const startedAt = Math.floor(Date.now() / 1000);
  let draining = false;

  const app = new Hono<Env>();

  app.use("*", async (c, next) => {
    const t0 = performance.now();
    const request: RequestRecord = { id: requestIdFrom(c.req.header("x-request-id")) };
    c.set("request", request);
    await next();
    const route = routeLabel(c.req.path);
    const headersMs = performance.now() - t0;
    c.res.headers.set("x-request-id", request.id);
    metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpSeconds.observe({ route }, headersMs / 1000);
    if (logger)
      logRequest(logger, request, { method: c.req.method, route, status: c.res.status, headersMs }, t0);
  });

  app.onError((error, c) => {
    const e = gatewayErrorFor(error, undefined, limits.requestTimeoutMs);
    // Refused before any run started (bad JSON, unknown model, too many runs, shutting down).
    if (GatewayError.isInstance(error)) metrics.rejected.inc({ code: e.code });
    if (e.status >= 500 && !FlmError.isInstance(error)) onError(error);
    return errorResponse(c, e);
  });
  app.notFound((c) =>
    errorResponse(c, new GatewayError(404, "not_found", `No route ${c.req.method} ${c.req.path}.`)),
  );

  app.get("/healthz", (c) =>
    c.json(
      { status: draining ? "draining" : "ok", inFlight: runs.size, models: modelNames },
      draining ? 503 : 200,
    ),
  );
  app.get(
    "/readyz",
    readinessHandler({
      check: options.readiness ?? (() => agentsOpen(options.agents)),
      cacheMs: limits.readinessCacheMs,
      draining: () => draining,
    }),
  );
  app.get("/metrics", async (c) => {
    metrics.inFlight.set(runs.size);
    return c.body(await metrics.render(), 200, { "content-type": metrics.contentType });
  });

  app.use("/v1/*", bearerAuth(createTokenAuth(options.users)));
  app.use("/v1/*", async (c, next) => {
    c.get("request").userId = c.get("caller").id;
    await next();
  });

  app.get("/v1/models", modelsHandler(modelNames, options.descriptions, startedAt));
  app.get("/v1/traces/:id", traceHandler(traces));

  for (const [path, sub] of Object.entries(options.mount ?? {})) app.route(path, sub);

  app.post("/v1/admin/index/refresh", refreshIndexHandler(options.admin));

  app.post(
    "/v1/chat/completions",
    bodyLimitOf(limits.maxBodyBytes),
    chatCompletionsHandler({
      agents: options.agents,
      modelNames,
      limits,
      runs,
      metrics,
      traces,
      telemetry: options.telemetry,
      onError,
      draining: () => draining,
      users: createUserAdmission(options.users, options.userLimits ?? new MemoryUserLimitStore(), metrics),
    }),
  );

  return {
    app,
    metrics,
    inFlight: () => runs.size,
    listen: (at) =>
      listenGateway(app.fetch, at, limits, async (server, drainTimeoutMs) => {
        draining = true;
        // Not ready any more, still listening: the balancer sees 503s and moves on first.
        if (limits.drainDelayMs > 0) await new Promise((r) => setTimeout(r, limits.drainDelayMs));
        await runs.drain(server, drainTimeoutMs);
        await Promise.allSettled(Object.values(options.agents).map((a) => a.close()));
        if (!options.traceStore) await traces.close();
      }),
  };
}

/** The model names clients may send; a gateway without agents or users is refused up front. */
function checkedModelNames(options: GatewayOptions): string[] {
  const modelNames = Object.keys(options.agents ?? {});
  if (modelNames.length === 0) {
    throw new GatewayConfigError(
      "The gateway has no agents.",
      'Pass agents: { "model-name": agent } with at least one entry.',
    );
  }
  if (!Array.isArray(options.users) || options.users.length === 0) {
    throw new GatewayConfigError(
      "The gateway has no users, so every request would be refused.",
      "Add users: [{ token, id, roles }].",
    );
  }
  return modelNames;
}

/** 413 with an OpenAI error body above `maxBytes`. */
function bodyLimitOf(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      errorResponse(
        c,
        new GatewayError(413, "request_too_large", `The request body is larger than ${maxBytes} bytes.`, {
          hint: "Send a shorter conversation.",
          // The unread rest of the body must not be taken for the next request on a kept-alive
          // connection (Node's fetch and the openai client reuse connections).
          headers: { connection: "close" },
        }),
      ),
  });
}

/** The default readiness check: every agent's tools load, so its sources open. */
async function agentsOpen(agents: Record<string, Agent>): Promise<ReadinessReport> {
  const checks = await Promise.all(
    Object.entries(agents).map(async ([name, agent]) => {
      const t0 = performance.now();
      try {
        await agent.tools();
        return { name, kind: "source" as const, ok: true, ms: performance.now() - t0 };
      } catch (error) {
        const code = FlmError.isInstance(error) ? error.code : "SOURCE_UNAVAILABLE";
        return { name, kind: "source" as const, ok: false, ms: performance.now() - t0, code };
      }
    }),
  );
  return { ready: checks.every((c) => c.ok), checks };
}
