import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseYaml } from "yaml";
import { checkAgents } from "./agent-configs.js";
import { ConfigError } from "./config-error.js";
import { configSchema, type FlmConfigData } from "./config-schema.js";
import { formatIssues } from "./format-issues.js";
import { interpolateEnv, unsetVariables } from "./interpolate-env.js";
import { knownKeysAt } from "./schema-keys.js";

/** Looked for, in this order, in the working directory. */
export const CONFIG_FILE_NAMES = [
  "flm.config.json",
  "flm.config.yaml",
  "flm.config.yml",
  "flm.config.ts",
  "flm.config.mjs",
  "flm.config.js",
];

/** A validated configuration plus where it came from (relative paths resolve against `dir`). */
export interface FlmConfig extends FlmConfigData {
  readonly source: { path?: string; dir: string };
  /** Secret values seen while loading (interpolated keys, tokens); masked by `redactSecrets`. */
  readonly secrets: readonly string[];
}

export interface LoadConfigOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /**
   * `false`: a gateway user whose token refers to an unset variable is left out instead of failing
   * the load (only `flm serve` needs the tokens; `flm ask` must not require them). Default `true`.
   */
  requireUserTokens?: boolean;
}

const SECRET_PATH = /(key|token|secret|password|authorization|url)/i;

/** Finds, reads, interpolates and validates the config. Throws `ConfigError` with key paths. */
export async function loadConfig(path?: string, options: LoadConfigOptions = {}): Promise<FlmConfig> {
  const cwd = options.cwd ?? process.cwd();
  const file = path
    ? resolve(cwd, path)
    : CONFIG_FILE_NAMES.map((n) => resolve(cwd, n)).find((f) => existsSync(f));
  if (!file) {
    throw new ConfigError("CONFIG_NOT_FOUND", `No flm.config.{json,yaml,yml,ts,mjs,js} in ${cwd}.`, {
      hint: "Run `flm init` to write one, pass --config <file>, or run `flm demo` for a working example (keys: docs/reference/config.md).",
    });
  }
  if (!existsSync(file)) {
    throw new ConfigError("CONFIG_NOT_FOUND", `Config file ${file} does not exist.`, {
      hint: "Check the --config path.",
    });
  }
  const raw = await readRaw(file);
  return parseConfig(raw, { ...options, path: file });
}

/** Validates an already parsed config object (e.g. from code or tests). */
export function parseConfig(raw: unknown, options: LoadConfigOptions & { path?: string } = {}): FlmConfig {
  const secrets: string[] = [];
  const env = options.env ?? process.env;
  if (options.requireUserTokens === false) raw = withoutUnsetUserTokens(raw, env);
  const interpolated = interpolateEnv(raw, env, (p, v) => {
    if (SECRET_PATH.test(p) || p.startsWith("users")) secrets.push(v);
  });
  const result = configSchema.safeParse(interpolated);
  if (!result.success) {
    const issues = formatIssues(result.error.issues, interpolated, [], (path) =>
      knownKeysAt(configSchema, path, interpolated),
    );
    throw new ConfigError(
      "CONFIG_INVALID",
      `${options.path ? `${options.path}: ` : ""}${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      {
        issues,
      },
    );
  }
  const agentIssues = checkAgents(result.data);
  if (agentIssues.length > 0) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `${options.path ? `${options.path}: ` : ""}${agentIssues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      { issues: agentIssues },
    );
  }
  for (const user of result.data.users ?? []) secrets.push(user.token);
  const dir = options.path ? dirname(options.path) : (options.cwd ?? process.cwd());
  return Object.assign(result.data, { source: { path: options.path, dir }, secrets });
}

/** The config without the users whose token names an unset variable (nothing else changes). */
function withoutUnsetUserTokens(raw: unknown, env: Record<string, string | undefined>): unknown {
  if (raw === null || typeof raw !== "object" || !Array.isArray((raw as { users?: unknown }).users))
    return raw;
  const users = (raw as { users: unknown[] }).users.filter((u) => {
    const token = (u as { token?: unknown } | null)?.token;
    return typeof token !== "string" || unsetVariables(token, env).length === 0;
  });
  return { ...raw, users };
}

/** Resolves a path from the config against the config file's folder. */
export function configPath(config: FlmConfig, path: string): string {
  return isAbsolute(path) ? path : resolve(config.source.dir, path);
}

async function readRaw(file: string): Promise<unknown> {
  const ext = extname(file).toLowerCase();
  if (ext === ".ts" || ext === ".mjs" || ext === ".js" || ext === ".mts" || ext === ".cjs") {
    try {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
      return mod.default ?? mod;
    } catch (cause) {
      const message = (cause as Error)?.message ?? String(cause);
      throw new ConfigError("CONFIG_INVALID", `Could not load ${file}: ${message}`, {
        cause,
        hint:
          ext === ".ts"
            ? "Plain Node cannot import TypeScript: run flm via `npx tsx`, or use flm.config.mjs / .json."
            : undefined,
      });
    }
  }
  const text = readFileSync(file, "utf8");
  try {
    if (ext === ".json") return JSON.parse(text);
    return parseYaml(text);
  } catch (cause) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `${file} is not valid ${ext === ".json" ? "JSON" : "YAML"}: ${(cause as Error).message}`,
      { cause },
    );
  }
}
