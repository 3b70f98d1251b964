import type { FlmConfig } from "../config/load-config.js";
import { consoleAudit } from "../console/console-audit.js";
import { createConsole } from "../console/create-console.js";
import { probeRuntime } from "../runtime/probe-runtime.js";
import type { Runtime } from "../runtime/build-runtime.js";
import { createGateway, type Gateway, type GatewayOptions } from "../server/create-gateway.js";
import type { GatewayUser } from "../server/token-auth.js";
import type { TraceStore } from "../traces/trace-store.js";

/**
 * The gateway `flm serve` runs, from a config and its runtime: the agents, the users, the
 * configured limits, the admin endpoints, the trace store, `/readyz` probing the runtime's local
 * models and sources, and the console at `/console` (unless `console.enabled` is false).
 */
export function createServeGateway(
  config: FlmConfig,
  runtime: Runtime,
  traces: TraceStore,
  more: Pick<GatewayOptions, "logger" | "telemetry" | "userLimits"> = {},
): Gateway {
  const users: GatewayUser[] = runtime.users.map((u) => ({
    token: u.token,
    id: u.caller.id,
    roles: u.caller.roles,
    attributes: u.caller.attributes,
    limits: u.limits,
  }));
  const { port: _p, host: _h, ...limits } = config.server ?? {};
  const settings = config.console ?? {};
  const mount: GatewayOptions["mount"] = {};
  if (settings.enabled !== false) {
    mount["/console"] = createConsole({
      traces,
      users,
      audit: runtime.audit ? consoleAudit(runtime.audit) : undefined,
      adminRole: settings.role,
      sessionTtlMs:
        settings.sessionTtlMinutes !== undefined ? settings.sessionTtlMinutes * 60_000 : undefined,
      secureCookies: settings.secureCookies,
    });
  }
  return createGateway({
    agents: runtime.agents,
    descriptions: runtime.descriptions,
    users,
    limits,
    admin: runtime.privacy
      ? { refreshIndex: (refresh) => runtime.privacy!.refreshIndex(refresh) }
      : undefined,
    traceStore: traces,
    readiness: () => probeRuntime({ models: runtime.localModels, sources: runtime.sources }),
    mount,
    ...more,
  });
}
