import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Agent } from "../core/agent.js";
import type { AgentEvent } from "../core/events.js";
import { FlmError } from "../errors/flm-error.js";
import type { Caller } from "../tools/caller.js";
import { type AbortCause, GatewayConfigError, GatewayError, gatewayErrorFor } from "./gateway-errors.js";
import { createGatewayMetrics, type GatewayMetrics } from "./gateway-metrics.js";
import { chatCompletion, chunk, completionId, DONE, parseChatRequest } from "./openai-wire.js";
import { createTokenAuth, type GatewayUser } from "./token-auth.js";
import { createMemoryTraceStore, type TraceStore } from "./trace-store.js";

export interface GatewayLimits {
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
  /** Traces kept for GET /v1/traces/:id by the default in-memory store. */
  maxTraces: number;
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  maxBodyBytes: 1_000_000,
  maxPromptChars: 20_000,
  maxConcurrentRuns: 64,
  requestTimeoutMs: 300_000,
  drainTimeoutMs: 10_000,
  maxTraces: 1000,
};

export interface GatewayOptions {
  /** Model name clients send → agent. The first is used when a request names no model. */
  agents: Record<string, Agent>;
  /** Model name → a line for GET /v1/models (an extra `description` field, which the OpenAI spec allows). */
  descriptions?: Record<string, string | undefined>;
  users: GatewayUser[];
  limits?: Partial<GatewayLimits>;
  traceStore?: TraceStore;
  /** Where unexpected (non-flm) errors are reported; defaults to console.error. */
  onError?: (error: unknown) => void;
}

export interface ListeningGateway {
  url: string;
  port: number;
  /** Stops accepting, lets running requests finish until the drain deadline, aborts the rest, closes the agents. */
  close(options?: { drainTimeoutMs?: number }): Promise<void>;
}

export interface Gateway {
  app: Hono<Env>;
  metrics: GatewayMetrics;
  listen(options?: { port?: number; host?: string }): Promise<ListeningGateway>;
  /** Runs executing now. */
  inFlight(): number;
}

type Env = { Variables: { caller: Caller } };

interface RunHandle {
  abort(cause: AbortCause): void;
  done: Promise<void>;
}

export function createGateway(options: GatewayOptions): Gateway {
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
  const limits: GatewayLimits = { ...DEFAULT_GATEWAY_LIMITS, ...options.limits };
  const authenticate = createTokenAuth(options.users);
  const traces = options.traceStore ?? createMemoryTraceStore({ max: limits.maxTraces });
  const metrics = createGatewayMetrics();
  const onError = options.onError ?? ((e: unknown) => console.error("[flm gateway]", e));
  const runs = new Set<RunHandle>();
  const startedAt = Math.floor(Date.now() / 1000);
  let draining = false;

  const errorResponse = (c: Context, e: GatewayError) => {
    for (const [k, v] of Object.entries(e.headers)) c.header(k, v);
    return c.json(e.body(), e.status as 400);
  };

  const app = new Hono<Env>();

  app.use("*", async (c, next) => {
    const t0 = performance.now();
    await next();
    const route = routeLabel(c.req.path);
    metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpSeconds.observe({ route }, (performance.now() - t0) / 1000);
  });

  app.onError((error, c) => {
    const e = gatewayErrorFor(error, undefined, limits.requestTimeoutMs);
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
  app.get("/metrics", (c) => {
    metrics.inFlight.set(runs.size);
    return c.body(metrics.render(), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });

  app.use("/v1/*", async (c, next) => {
    const caller = authenticate(c.req.header("authorization"));
    if (!caller) {
      return errorResponse(
        c,
        new GatewayError(401, "invalid_api_key", "Missing or unknown bearer token.", {
          hint: "Send `Authorization: Bearer <token>` with a token configured for a gateway user.",
          headers: { "www-authenticate": 'Bearer realm="flm"' },
        }),
      );
    }
    c.set("caller", caller);
    await next();
  });

  app.get("/v1/models", (c) =>
    c.json({
      object: "list",
      data: modelNames.map((id) => ({
        id,
        object: "model",
        created: startedAt,
        owned_by: "flm",
        ...(options.descriptions?.[id] ? { description: options.descriptions[id] } : {}),
      })),
    }),
  );

  app.get("/v1/traces/:id", async (c) => {
    const trace = await traces.get(c.req.param("id"), c.get("caller").id);
    if (!trace)
      throw new GatewayError(404, "trace_not_found", `No trace ${c.req.param("id")} for this caller.`, {
        hint: "Traces are kept for the most recent runs only, and only for the user who made them.",
      });
    return c.json(trace);
  });

  app.post(
    "/v1/chat/completions",
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: (c) =>
        errorResponse(
          c,
          new GatewayError(
            413,
            "request_too_large",
            `The request body is larger than ${limits.maxBodyBytes} bytes.`,
            { hint: "Send a shorter conversation." },
          ),
        ),
    }),
    async (c) => {
      if (draining)
        throw new GatewayError(503, "server_shutting_down", "The gateway is shutting down.", {
          hint: "Retry shortly.",
          headers: { "retry-after": "1" },
        });
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new GatewayError(400, "invalid_json", "The request body is not valid JSON.", {
          hint: "Send a JSON chat-completions request with content-type application/json.",
        });
      }
      const request = parseChatRequest(body, limits.maxPromptChars);
      const model = request.model ?? modelNames[0];
      const agent = Object.hasOwn(options.agents, model) ? options.agents[model] : undefined;
      if (!agent) {
        throw new GatewayError(
          404,
          "model_not_found",
          `The model "${model}" does not exist on this gateway.`,
          {
            type: "invalid_request_error",
            param: "model",
            hint: `Use one of: ${modelNames.join(", ")} (GET /v1/models lists them).`,
          },
        );
      }
      if (runs.size >= limits.maxConcurrentRuns) {
        throw new GatewayError(
          429,
          "rate_limit_exceeded",
          `The gateway is running ${runs.size} requests, its limit.`,
          {
            hint: "Retry after the number of seconds in retry-after.",
            headers: { "retry-after": "1" },
          },
        );
      }

      // One controller per run: the client going away, the timeout and shutdown all abort it.
      const controller = new AbortController();
      let cause: AbortCause | undefined;
      const abort = (why: AbortCause) => {
        if (controller.signal.aborted) return;
        cause = why;
        controller.abort(new GatewayError(499, `run_${why}`, `aborted: ${why}`));
      };
      const clientSignal = c.req.raw.signal;
      const onClientAbort = () => abort("client");
      clientSignal.addEventListener("abort", onClientAbort, { once: true });
      const timer = setTimeout(() => abort("timeout"), limits.requestTimeoutMs);
      let finish!: () => void;
      const handle: RunHandle = { abort, done: new Promise<void>((r) => (finish = r)) };
      runs.add(handle);
      metrics.inFlight.set(runs.size);
      let finished = false;
      const end = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        clientSignal.removeEventListener("abort", onClientAbort);
        runs.delete(handle);
        metrics.inFlight.set(runs.size);
        finish();
      };
      const fail = (error: unknown) => {
        const e = gatewayErrorFor(error, cause, limits.requestTimeoutMs);
        metrics.observeError(FlmError.isInstance(error) && !cause ? error.code : e.code);
        if (e.status === 500 && !FlmError.isInstance(error)) onError(error);
        return e;
      };

      const caller = c.get("caller");
      const runId = randomUUID();
      const base = {
        id: completionId(runId),
        created: Math.floor(Date.now() / 1000),
        model,
        includeUsage: request.includeUsage,
      };
      const runOptions = { signal: controller.signal, user: caller, history: request.history, runId };
      c.header("x-flm-trace-id", runId);

      if (!request.stream) {
        try {
          const result = await agent.run(request.prompt, runOptions);
          await traces.put(result.trace, caller.id);
          metrics.observeTrace(result.trace);
          return c.json(
            chatCompletion({
              id: base.id,
              created: base.created,
              model,
              text: result.text,
              local: result.trace.usage.local,
              extension: { trace_id: runId, citations: result.citations, usage: result.trace.usage },
            }),
          );
        } catch (error) {
          return errorResponse(c, fail(error));
        } finally {
          end();
        }
      }

      // Streaming: wait for the plan before sending headers, so that planning failures (the
      // common ones: planner down, invalid plan, blocked prompt or egress) get a real status.
      const iterator = agent.stream(request.prompt, runOptions)[Symbol.asyncIterator]();
      let first: IteratorResult<AgentEvent>;
      try {
        // Repair rounds come before the plan: keep reading until the plan (or the end) arrives.
        do first = await iterator.next();
        while (!first.done && first.value.type === "repair");
      } catch (error) {
        end();
        return errorResponse(c, fail(error));
      }
      const encoder = new TextEncoder();
      let pending: IteratorResult<AgentEvent> | undefined = first;
      const sse = new ReadableStream<Uint8Array>({
        start(stream) {
          stream.enqueue(encoder.encode(chunk(base, { role: "assistant", content: "" })));
        },
        async pull(stream) {
          const send = (text: string) => stream.enqueue(encoder.encode(text));
          try {
            // Deliver at most one text chunk per pull so backpressure reaches the run.
            while (true) {
              const next: IteratorResult<AgentEvent> = pending ?? (await iterator.next());
              pending = undefined;
              if (next.done) throw new FlmError("RUN_INCOMPLETE", "The run ended without a result.");
              const event = next.value;
              if (event.type === "text-delta") {
                if (event.text) return send(chunk(base, { content: event.text }));
                continue;
              }
              if (event.type === "done") {
                await traces.put(event.result.trace, caller.id);
                metrics.observeTrace(event.result.trace);
                send(chunk(base, {}, "stop"));
                if (base.includeUsage) send(chunk(base, undefined, null, event.result.trace.usage.local));
                send(DONE);
                stream.close();
                end();
                return;
              }
            }
          } catch (error) {
            const e = fail(error);
            end();
            if (cause === "client") return; // nobody is listening
            try {
              send(`data: ${JSON.stringify(e.body())}\n\n`);
              send(DONE);
              stream.close();
            } catch {
              // the stream was cancelled meanwhile
            }
          }
        },
        async cancel() {
          // The client went away: stop the run and its tools.
          abort("client");
          end();
          await iterator.return?.();
        },
      });
      return c.body(sse, 200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
      });
    },
  );

  async function shutdown(server: Server, drainTimeoutMs: number): Promise<void> {
    draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const pending = () => Promise.allSettled([...runs].map((r) => r.done));
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([pending(), new Promise<void>((r) => (deadline = setTimeout(r, drainTimeoutMs)))]);
    clearTimeout(deadline);
    for (const run of runs) run.abort("shutdown");
    await Promise.race([pending(), new Promise((r) => setTimeout(r, 1000).unref())]);
    // Give aborted streams a moment to write their error chunk, then drop what is left.
    setTimeout(() => server.closeAllConnections(), 50).unref();
    server.closeIdleConnections();
    await closed;
    await Promise.allSettled(Object.values(options.agents).map((a) => a.close()));
  }

  return {
    app,
    metrics,
    inFlight: () => runs.size,
    async listen({ port = 8080, host = "127.0.0.1" } = {}) {
      const server = await new Promise<Server>((resolve, reject) => {
        const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s as Server)) as Server;
        s.once("error", reject);
      });
      const address = server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      let closing: Promise<void> | undefined;
      return {
        url: `http://${shownHost}:${address.port}`,
        port: address.port,
        close: (o = {}) => {
          closing ??= shutdown(server, o.drainTimeoutMs ?? limits.drainTimeoutMs);
          return closing;
        },
      };
    },
  };
}

const ROUTES = new Set(["/v1/chat/completions", "/v1/models", "/healthz", "/metrics"]);

/** A bounded label set: unknown paths must not create one series each. */
function routeLabel(path: string): string {
  if (ROUTES.has(path)) return path;
  if (path.startsWith("/v1/traces/")) return "/v1/traces/:id";
  return "other";
}
