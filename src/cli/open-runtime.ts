import { userInfo } from "node:os";
import { buildRuntime, type Runtime } from "../runtime/build-runtime.js";
import { agentNames } from "../config/agent-configs.js";
import { type FlmConfig, loadConfig, parseConfig } from "../config/load-config.js";
import type { Caller } from "../tools/caller.js";
import type { CliIO } from "./cli-io.js";
import { UsageError } from "./exit-codes.js";

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  config?: string;
  planner?: string;
  generator?: string;
  /** Every `--planner`/`--generator` given (`flm eval` compares them; other commands take one). */
  planners?: string[];
  generators?: string[];
  /** Which agent of the config ask/plan/chat/tools use (default: the top-level one). */
  agent?: string;
  /** Overrides `privacy.mode` (`flm plan --privacy strict` shows what the cloud would see). */
  privacy?: "standard" | "strict";
  debug?: boolean;
}

/** Loads the config (flags override its planner/generator) and remembers its secrets for redaction. */
export async function openConfig(
  globals: GlobalOptions,
  io: CliIO,
  /** Only `flm serve` needs the gateway users' tokens; other commands leave unset ones out. */
  options: { requireUserTokens?: boolean } = {},
): Promise<FlmConfig> {
  let config: FlmConfig;
  try {
    config = await loadConfig(globals.config, { requireUserTokens: options.requireUserTokens ?? false });
  } catch (error) {
    // Flags alone are enough for a tool-less agent (`flm ask --generator ... "hi"`).
    if (!globals.config && globals.generator && (error as { code?: string }).code === "CONFIG_NOT_FOUND") {
      config = parseConfig({ generator: globals.generator, planner: globals.planner ?? "local" });
    } else throw error;
  }
  // The flags override every agent, so `--agent x --planner local` really plans locally.
  if (globals.generator) config.generator = globals.generator;
  if (globals.planner) config.planner = globals.planner;
  for (const entry of Object.values(config.agents ?? {})) {
    if (globals.generator && entry.generator) entry.generator = globals.generator;
    if (globals.planner && entry.planner) entry.planner = globals.planner;
  }
  if (globals.privacy) config.privacy = { ...config.privacy, mode: globals.privacy };
  if (globals.agent !== undefined) {
    const names = agentNames(config);
    if (!names.includes(globals.agent)) {
      throw new UsageError(
        `No agent named "${globals.agent}" in the configuration.`,
        `Use one of: ${names.join(", ")} (the top-level agent and the keys of agents).`,
      );
    }
  }
  io.secrets.push(...config.secrets);
  return config;
}

/**
 * Builds the runtime. By default only the `--agent` (or top-level) agent is built, so another
 * agent's models are never loaded; `all` builds every agent (the gateway).
 */
export async function openRuntime(
  globals: GlobalOptions,
  io: CliIO,
  options: { all?: boolean; requireUserTokens?: boolean } = {},
): Promise<{ config: FlmConfig; runtime: Runtime }> {
  const config = await openConfig(globals, io, { requireUserTokens: options.requireUserTokens });
  return {
    config,
    runtime: await buildRuntime(config, { agent: globals.agent, only: !options.all }),
  };
}

/** The CLI acts for the local OS user (override with FLM_USER / FLM_ROLES). */
export function localCaller(): Caller {
  let name = "local";
  try {
    name = userInfo().username || name;
  } catch {}
  return {
    id: process.env.FLM_USER ?? name,
    roles: (process.env.FLM_ROLES ?? "local")
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean),
  };
}
