import { ConfigError } from "../config/config-error.js";
import type { ModelConfig, ToolSourceConfig } from "../config/config-schema.js";
import type { TrustPolicy } from "../privacy/trust-policy.js";
import { remoteOf } from "../sources/registry.js";
import { modelHost } from "./model-host.js";

/**
 * Who may see data, checked before anything is built: tool results reach the generator (and a
 * planner marked local, which is not behind the egress guard), and tool arguments reach OpenAPI
 * and MCP services. Each must run in-process, be declared trusted, or pass the trust policy
 * (every address it resolves to is loopback or private).
 */
export async function assertModelHostTrusted(
  spec: ModelConfig,
  role: "generator" | "planner",
  policy: TrustPolicy,
  env: Record<string, string | undefined>,
  at: string = role,
): Promise<void> {
  const host = modelHost(spec, env);
  if (host === undefined || (typeof spec === "object" && spec.trusted)) return;
  const decision = await policy.checkHost(host);
  if (decision.trusted) return;
  const why =
    role === "generator"
      ? "the generator sees the tool results (your data)"
      : 'a planner with location "local" is not behind the egress guard';
  throw new ConfigError("GENERATOR_UNTRUSTED", `${at}: ${decision.detail}, and ${why}.`, {
    hint: 'Point it at a local model, or declare it with "trusted": true (or list the host in privacy.trustedEndpoints) if that endpoint may see your data.',
  });
}

/** Tool arguments can carry values from other steps: a source on a remote host must be declared trusted. */
export async function assertSourceTrusted(
  entry: ToolSourceConfig,
  index: number,
  policy: TrustPolicy,
): Promise<void> {
  const remote = remoteOf(entry);
  if (!remote || remote.trusted) return;
  for (const url of remote.urls) {
    const decision = await policy.checkUrl(url);
    if (decision.trusted) continue;
    const host = URL.canParse(url) ? new URL(url).host : url;
    throw new ConfigError(
      "CONFIG_INVALID",
      `tools[${index}] (${entry.name}): ${decision.detail}, and tool arguments can carry data from other steps.`,
      {
        issues: [{ path: `tools[${index}].trusted`, message: `declare the remote host ${host} trusted` }],
        hint: 'Add "trusted": true to this tool source (or list the host in privacy.trustedEndpoints) if that service may receive your data.',
      },
    );
  }
}
