import { ConfigError } from "../../config/config-error.js";
import { openConfiguredTraces } from "../../runtime/open-configured-traces.js";
import { createLogger, type LogFormat } from "../../server/create-logger.js";
import { openConfiguredTelemetry } from "../configured-telemetry.js";
import { createServeGateway } from "../serve-gateway.js";
import { PostgresUserLimitStore } from "../../server/postgres-user-limit-store.js";
import type { CliIO } from "../cli-io.js";
import { type GlobalOptions, openRuntime } from "../open-runtime.js";

/** `flm serve`: the OpenAI-compatible gateway, until SIGINT/SIGTERM (then drains and closes). */
export async function serveCommand(
  options: { port?: string; host?: string; logFormat?: LogFormat; logLevel?: string },
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const { config, runtime } = await openRuntime(globals, io, { all: true, requireUserTokens: true });
  if (runtime.users.length === 0) {
    await runtime.close();
    throw new ConfigError(
      "CONFIG_INVALID",
      "users: missing (the gateway needs at least one user with a bearer token)",
      {
        issues: [{ path: "users", message: "missing" }],
        hint: 'Add users: [{ "token": "${FLM_TOKEN_ALICE}", "id": "alice", "roles": ["analyst"] }].',
      },
    );
  }
  const logger = await createLogger({ format: options.logFormat, level: options.logLevel });
  // With state.url, per-user limits are counted in PostgreSQL, so they hold across replicas.
  const userLimits = runtime.state
    ? await PostgresUserLimitStore.open({ pool: runtime.state.pool, schema: runtime.state.schema })
    : undefined;
  const telemetry = await openConfiguredTelemetry(config);
  const traces = await openConfiguredTraces(config).catch(async (error) => {
    await runtime.close();
    throw error;
  });
  const gateway = createServeGateway(config, runtime, traces, { logger, telemetry, userLimits });
  const port = options.port !== undefined ? Number(options.port) : (config.server?.port ?? 8787);
  const host = options.host ?? config.server?.host ?? "127.0.0.1";
  // The first request should not pay for loading the privacy detectors (about 1 s).
  runtime.privacy?.warmUp();
  const listening = await gateway.listen({ port, host });
  const stopCountingAppends = runtime.audit?.onAppend((r) =>
    gateway.metrics.auditAppends.inc({ decision: r.decision }),
  );
  io.info(`flm gateway listening on ${listening.url} (models: ${Object.keys(runtime.agents).join(", ")})`);
  // SIGHUP: pick up new rows in the sensitive columns now (the interval does it anyway).
  const onHangup = () => {
    runtime.privacy
      ?.refreshIndex()
      .then((r) =>
        io.info(
          `sensitive index refreshed: ${r.added} new value(s), ${r.values} in all (${r.durationMs.toFixed(0)} ms)`,
        ),
      )
      .catch((error) =>
        io.info(`sensitive index refresh failed: ${error instanceof Error ? error.message : String(error)}`),
      );
  };
  process.on("SIGHUP", onHangup);
  if (config.console?.enabled !== false) {
    const role = config.console?.role ?? "admin";
    const admins = runtime.users.filter((u) => u.caller.roles.includes(role)).length;
    io.info(
      admins > 0
        ? `console: ${listening.url}/console (${admins} user(s) with the ${role} role); traces: ${traces.kind}, kept ${traces.limits.retentionDays} days`
        : `console: ${listening.url}/console, but no user has the ${role} role: add "${role}" to a user's roles to sign in`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  process.off("SIGHUP", onHangup);
  io.info("shutting down: draining runs…");
  await listening.close();
  stopCountingAppends?.();
  await userLimits?.close();
  await telemetry?.shutdown();
  await traces.close();
  await runtime.close();
  logger.flush();
}
