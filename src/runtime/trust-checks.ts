import { ConfigError } from "../config/config-error.js";
import type { ModelConfig, ToolSourceConfig } from "../config/config-schema.js";
import type { FlmConfig } from "../config/load-config.js";
import { remoteOf } from "../sources/registry.js";
import { isLocalHost, modelHost } from "./model-host.js";

/**
 * Who may see data. Tool results reach the generator (and a planner marked local, which is not
 * behind the egress guard), and tool arguments reach OpenAPI and MCP services: each must run
 * in-process, on a local/private host, or be declared trusted. Checked before anything is built.
 */
export function isTrustedHost(host: string, config: FlmConfig): boolean {
  return (config.privacy?.trustedEndpoints ?? []).some(
    (t) => t === host || t.split(":")[0] === host.split(":")[0],
  );
}

export function assertModelHostTrusted(
  spec: ModelConfig,
  role: "generator" | "planner",
  config: FlmConfig,
  env: Record<string, string | undefined>,
  at: string = role,
): void {
  const host = modelHost(spec, env);
  if (host === undefined || isLocalHost(host.split(":")[0])) return;
  if (typeof spec === "object" && spec.trusted) return;
  if (isTrustedHost(host, config)) return;
  const why =
    role === "generator"
      ? "the generator sees the tool results (your data)"
      : 'a planner with location "local" is not behind the egress guard';
  throw new ConfigError("GENERATOR_UNTRUSTED", `${at}: ${host} is not a local or private host, and ${why}.`, {
    hint: 'Point it at a local model, or declare it with "trusted": true (or list the host in privacy.trustedEndpoints) if that endpoint may see your data.',
  });
}

/** Tool arguments can carry values from other steps: a source on a remote host must be declared trusted. */
export function assertSourceTrusted(entry: ToolSourceConfig, index: number, config: FlmConfig): void {
  const remote = remoteOf(entry);
  if (!remote || remote.trusted) return;
  for (const url of remote.urls) {
    const { host, hostname } = new URL(url);
    if (isLocalHost(hostname) || isTrustedHost(host, config)) continue;
    throw new ConfigError(
      "CONFIG_INVALID",
      `tools[${index}] (${entry.name}): ${host} is not a local or private host, and tool arguments can carry data from other steps.`,
      {
        issues: [{ path: `tools[${index}].trusted`, message: `declare the remote host ${host} trusted` }],
        hint: 'Add "trusted": true to this tool source (or list the host in privacy.trustedEndpoints) if that service may receive your data.',
      },
    );
  }
}
