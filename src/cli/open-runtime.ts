import { userInfo } from "node:os";
import { buildRuntime, type Runtime } from "../config/build-runtime.js";
import { type FlmConfig, loadConfig, parseConfig } from "../config/load-config.js";
import type { Caller } from "../tools/caller.js";
import type { CliIO } from "./cli-io.js";

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  config?: string;
  planner?: string;
  generator?: string;
  debug?: boolean;
}

/** Loads the config (flags override its planner/generator) and remembers its secrets for redaction. */
export async function openConfig(globals: GlobalOptions, io: CliIO): Promise<FlmConfig> {
  let config: FlmConfig;
  try {
    config = await loadConfig(globals.config);
  } catch (error) {
    // Flags alone are enough for a tool-less agent (`flm ask --generator ... "hi"`).
    if (!globals.config && globals.generator && (error as { code?: string }).code === "CONFIG_NOT_FOUND") {
      config = parseConfig({ generator: globals.generator, planner: globals.planner ?? "local" });
    } else throw error;
  }
  if (globals.generator) config.generator = globals.generator;
  if (globals.planner) config.planner = globals.planner;
  io.secrets.push(...config.secrets);
  return config;
}

export async function openRuntime(
  globals: GlobalOptions,
  io: CliIO,
): Promise<{ config: FlmConfig; runtime: Runtime }> {
  const config = await openConfig(globals, io);
  return { config, runtime: await buildRuntime(config) };
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
