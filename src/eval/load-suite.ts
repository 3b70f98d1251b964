/**
 * Finds the suite `flm eval <suite>` names: a `*.eval.yaml`/`.json` file, or a built-in suite
 * (`chinook`, `clinic`) built now, with gold facts computed from its database. Returns the suite
 * and the configuration it runs against.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../config/config-error.js";
import { formatIssues } from "../config/format-issues.js";
import { type FlmConfig, loadConfig, parseConfig } from "../config/load-config.js";
import { EvalSuiteError } from "./eval-suite-error.js";
import { type EvalSuite, evalSuiteSchema } from "./eval-suite-schema.js";
import { chinookConfig } from "./suites/chinook-config.js";
import { chinookSuite, findChinook } from "./suites/chinook-suite.js";
import { clinicSuite } from "./suites/clinic-suite.js";

export const BUILTIN_SUITES = ["chinook", "clinic"] as const;

export interface LoadSuiteOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** `--config`: the configuration (a file suite's own `config` wins; a built-in takes its models from it). */
  configPath?: string;
  /** `--db`: the database of a built-in suite. */
  database?: string;
  /** Models to use when the configuration has none (the first `--planner`/`--generator`). */
  models?: { planner?: string; generator?: string };
}

export interface LoadedSuite {
  suite: EvalSuite;
  config: FlmConfig;
  /** Removes what building the suite created (a built-in's generated database). */
  dispose(): void;
}

export async function loadSuite(spec: string, options: LoadSuiteOptions = {}): Promise<LoadedSuite> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const file = resolve(cwd, spec);
  if (existsSync(file)) return loadSuiteFile(file, options);
  if (spec === "chinook") {
    const database = findChinook(options.database, env, cwd);
    const models = await userModels(options);
    const config = parseConfig(chinookConfig(database, models), {
      env,
      path: join(dirname(database), "chinook.flm"),
    });
    return { suite: await chinookSuite(database), config, dispose() {} };
  }
  if (spec === "clinic") {
    const dir = mkdtempSync(join(tmpdir(), "flm-eval-clinic-"));
    try {
      const models = await userModels(options);
      const built = await clinicSuite(dir, {
        planner: models.planner ?? "local",
        generator: models.generator,
      });
      const config = parseConfig(built.config, { env, path: join(dir, "flm.config.json") });
      return { suite: built.suite, config, dispose: () => rmSync(dir, { recursive: true, force: true }) };
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
  throw new EvalSuiteError(
    "EVAL_SUITE_NOT_FOUND",
    `No suite file ${file}, and "${spec}" is not a built-in suite.`,
    {
      hint: `Give a *.eval.yaml file or one of: ${BUILTIN_SUITES.join(", ")}.`,
    },
  );
}

/** Reads, validates and returns a suite file with the configuration it names (or the usual one). */
export async function loadSuiteFile(file: string, options: LoadSuiteOptions = {}): Promise<LoadedSuite> {
  let raw: unknown;
  try {
    const text = readFileSync(file, "utf8");
    raw = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new EvalSuiteError(
      "EVAL_SUITE_INVALID",
      `Cannot read the suite ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const parsed = evalSuiteSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = formatIssues(parsed.error.issues, raw).map((i) => `  ${i.path}: ${i.message}`);
    throw new EvalSuiteError(
      "EVAL_SUITE_INVALID",
      `The suite ${file} does not validate:\n${lines.join("\n")}`,
      {
        hint: "See docs/guides/eval.md (the suite format) or docs/reference/flm-eval.schema.json.",
      },
    );
  }
  const suite = parsed.data;
  const configPath = suite.config ? resolve(dirname(file), suite.config) : options.configPath;
  const config = await loadConfig(configPath, { cwd: options.cwd, env: options.env });
  return { suite, config, dispose() {} };
}

/** The models of the user's configuration (if any), under the flags. */
async function userModels(options: LoadSuiteOptions): Promise<{ planner?: unknown; generator?: unknown }> {
  let config: FlmConfig | undefined;
  try {
    config = await loadConfig(options.configPath, { cwd: options.cwd, env: options.env });
  } catch (error) {
    if (options.configPath || !ConfigError.isInstance(error) || error.code !== "CONFIG_NOT_FOUND")
      throw error;
  }
  const planner = options.models?.planner ?? config?.planner;
  const generator = options.models?.generator ?? config?.generator;
  if (generator === undefined) {
    throw new ConfigError("CONFIG_INVALID", "A built-in suite needs a local model to answer with.", {
      hint: "Pass --generator (e.g. --generator ollama:qwen2.5:3b), or --config with a configuration that has a generator.",
    });
  }
  return { planner, generator };
}
