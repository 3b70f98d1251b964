import { ConfigError } from "../../config/config-error.js";
import { createLogger, type LogFormat } from "../../server/create-logger.js";
import { openConfiguredTelemetry } from "../configured-telemetry.js";
import { createGateway } from "../../server/index.js";
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
  const { port: _p, host: _h, ...limits } = config.server ?? {};
  const logger = await createLogger({ format: options.logFormat, level: options.logLevel });
  const telemetry = await openConfiguredTelemetry(config);
  const gateway = createGateway({
    logger,
    telemetry,
    agents: runtime.agents,
    descriptions: runtime.descriptions,
    users: runtime.users.map((u) => ({
      token: u.token,
      id: u.caller.id,
      roles: u.caller.roles,
      attributes: u.caller.attributes,
    })),
    limits,
    admin: runtime.privacy
      ? { refreshIndex: (refresh) => runtime.privacy!.refreshIndex(refresh) }
      : undefined,
  });
  const port = options.port !== undefined ? Number(options.port) : (config.server?.port ?? 8787);
  const host = options.host ?? config.server?.host ?? "127.0.0.1";
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
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  process.off("SIGHUP", onHangup);
  io.info("shutting down: draining runs…");
  await listening.close();
  stopCountingAppends?.();
  await telemetry?.shutdown();
  await runtime.close();
  logger.flush();
}
