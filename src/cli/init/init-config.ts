import { closeSync, existsSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { basename, join } from "node:path";
import { stringify } from "yaml";
import { CLOUD_PLANNERS, DEFAULT_MODEL, modelCacheDir } from "../../demo/choose-models.js";
import { UsageError } from "../exit-codes.js";
import type { SensitiveProposal } from "./propose-sensitive.js";

/** A planner `flm init` can choose: a cloud model whose key is in the environment, or local. */
export interface ModelChoice {
  spec: string;
  why: string;
}

/** Planners to offer: one per cloud key found in the environment, then `local` (nothing leaves). */
export function plannerChoices(env: Record<string, string | undefined> = process.env): ModelChoice[] {
  const found = CLOUD_PLANNERS.filter(([key]) => env[key]).map(([key, spec]) => ({
    spec,
    why: `${key} is set`,
  }));
  return [...found, { spec: "local", why: "plan with the local model: nothing leaves the machine" }];
}

/** Generators to offer: the models a local Ollama serves, else the in-process llama.cpp model. */
export async function generatorChoices(
  options: { ollamaUrl?: string; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<ModelChoice[]> {
  const url = options.ollamaUrl ?? process.env.OLLAMA_HOST ?? "http://127.0.0.1:11434";
  const choices: ModelChoice[] = [];
  try {
    const res = await (options.fetch ?? fetch)(`${url.replace(/\/$/, "")}/api/tags`, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 1500),
    });
    const body = (await res.json()) as { models?: Array<{ name?: string }> };
    for (const m of body.models ?? [])
      if (m.name) choices.push({ spec: `ollama:${m.name}`, why: `served by Ollama at ${url}` });
  } catch {
    // No Ollama here: offer the in-process model.
  }
  const cached = join(modelCacheDir(), DEFAULT_MODEL.file);
  choices.push({
    spec: cached,
    why: existsSync(cached)
      ? `${DEFAULT_MODEL.label}, in-process llama.cpp (downloaded)`
      : `${DEFAULT_MODEL.label}, in-process llama.cpp: download it first with flm pull ${DEFAULT_MODEL.uri}`,
  });
  return choices;
}

export interface InitAnswers {
  database: { driver: "sqlite" | "postgres"; target: string };
  sensitive: SensitiveProposal[];
  planner: string;
  generator: string;
  /** The audit key's file, relative to the config. */
  auditKey: string;
  schemaPath: string;
}

/** The `flm.config.yaml` text, with comments saying what each part is for. */
export function renderConfig(a: InitAnswers): string {
  const tool: Record<string, unknown> = {
    kind: "sql",
    name: a.database.driver === "sqlite" ? toolName(a.database.target) : "db",
    driver: a.database.driver,
    ...(a.database.driver === "sqlite" ? { path: a.database.target } : { url: a.database.target }),
    tables: "*",
    ...(a.sensitive.length
      ? { sensitive: a.sensitive.map((s) => ({ column: s.column, type: s.type })) }
      : {}),
  };
  const yaml = (value: unknown) => stringify(value, { lineWidth: 0 }).trimEnd();
  const proposals = a.sensitive.map(
    (s) =>
      `#   ${s.column}: ${s.type} (${s.reason === "name" ? "its name" : `${s.hits} of ${s.sampled} sampled values`})`,
  );
  return [
    `# yaml-language-server: $schema=${a.schemaPath}`,
    "# Written by flm init. Check it with: flm doctor",
    "",
    "# Plans (sees only pseudonymized prompts and the tool schemas; never a tool result).",
    yaml({ planner: a.planner }),
    "# Reads the tool results and writes the answer: runs on this machine.",
    yaml({ generator: a.generator }),
    "",
    "# Your data. Sensitive columns are indexed: their values are replaced by placeholders before",
    "# anything goes to the planner, and the egress guard refuses any request that still holds one.",
    ...(proposals.length
      ? ["# Proposed by flm init:", ...proposals]
      : ["# No sensitive column was found: add them under sensitive:."]),
    yaml({ tools: [tool] }),
    "",
    "# Every request to the cloud, hash-chained; checkpoints signed with this key (keep it private).",
    yaml({ audit: { path: "flm-audit.db", keyPath: a.auditKey } }),
    "",
  ].join("\n");
}

function toolName(path: string): string {
  const name = basename(path)
    .replace(/\.[^.]*$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return /^[a-z]/.test(name) ? name : `db_${name || "data"}`;
}

/** Writes `text` to `path` atomically (temporary file, fsync, rename); refuses to overwrite without `force`. */
export function writeFileAtomic(
  path: string,
  text: string,
  options: { force?: boolean; mode?: number } = {},
): void {
  if (existsSync(path) && !options.force) {
    throw new UsageError(
      `${path} already exists.`,
      "Pass --force to replace it (or --out to write elsewhere).",
    );
  }
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", options.mode ?? 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
