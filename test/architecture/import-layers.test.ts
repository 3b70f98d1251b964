/**
 * The layering rule of docs/architecture.md, checked on every import in src/ (static, dynamic and
 * re-exports; tests and contract suites excepted): each folder imports only the folders listed
 * for it below, so dependencies point one way and no lower layer reaches agent/ or runtime/.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

const VOCABULARY = ["errors", "tools", "core"];
/** Infrastructure any layer that stores something may use: SQLite off the event loop. */
const INFRA = ["sqlite", "postgres"];
const STAGES = ["plan", "execute", "context", "privacy"];

/** Folder → the folders it may import (besides itself). */
const ALLOWED: Record<string, string[]> = {
  errors: [],
  sqlite: ["errors"],
  postgres: ["errors", "core"],
  tools: ["errors"],
  core: ["errors", "tools"],
  plan: VOCABULARY,
  execute: VOCABULARY,
  context: VOCABULARY,
  privacy: [...VOCABULARY, ...INFRA],
  models: [...VOCABULARY, "privacy"],
  sources: [...VOCABULARY, ...INFRA, "privacy", "models"],
  // The grounding check: the answer's values looked up in the context (privacy's tokenization).
  grounding: [...VOCABULARY, "privacy"],
  agent: [...VOCABULARY, ...STAGES, "grounding"],
  // config checks privacy.entities against the privacy layer's one list of entity types.
  config: [...VOCABULARY, "sources", "models", "privacy"],
  runtime: [...VOCABULARY, ...INFRA, ...STAGES, "models", "sources", "agent", "config", "traces"],
  traces: [...VOCABULARY, ...INFRA],
  // OpenTelemetry spans from a finished run's trace (the SDK loaded only when configured).
  telemetry: VOCABULARY,
  server: [...VOCABULARY, ...INFRA, "traces"],
  console: [...VOCABULARY, "privacy", "traces", "server"],
  demo: [...VOCABULARY, "models"],
  // flm eval builds agents through the runtime (one per model combination) and scores their runs.
  eval: [...VOCABULARY, ...INFRA, ...STAGES, "grounding", "config", "runtime", "demo"],
  cli: [
    ...VOCABULARY,
    ...INFRA,
    ...STAGES,
    "models",
    "sources",
    "config",
    "runtime",
    "traces",
    "server",
    "console",
    "demo",
    "telemetry",
    "eval",
  ],
  // federated-lm/testing: fake model servers and contract suites, for tests only.
  testing: [...VOCABULARY, ...STAGES],
};

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)/g;

function allowed(from: string, target: string): boolean {
  return target === from || (ALLOWED[from]?.includes(target) ?? false);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    const isTest = /\.(test|contract)\.tsx?$/.test(name);
    return /\.tsx?$/.test(name) && !isTest ? [path] : [];
  });
}

/** `src/<folder>/...` → folder; `src/index.ts` → "(root)". */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split("/");
  return parts.length === 1 ? "(root)" : parts[0]!;
}

function importsOf(file: string): Array<{ target: string; spec: string }> {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = (m[1] ?? m[2])!;
    return { spec, target: folderOf(resolve(dirname(file), spec)) };
  });
}

describe("import layers", () => {
  const files = sourceFiles(SRC);

  it("finds the source tree and every folder has a rule", () => {
    expect(files.length).toBeGreaterThan(100);
    const folders = new Set(files.map(folderOf));
    folders.delete("(root)");
    expect([...folders].filter((f) => !(f in ALLOWED))).toEqual([]);
  });

  it("every import goes to an allowed folder (no lower layer imports agent/ or runtime/)", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      if (from === "(root)") continue; // the package entry re-exports the public API
      for (const { target, spec } of importsOf(file)) {
        if (allowed(from, target)) continue;
        violations.push(`${relative(SRC, file)} imports ${spec} (${from} → ${target})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the rules themselves form no cycle", () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (folder: string, path: string[]): void => {
      if (done.has(folder)) return;
      expect(visiting.has(folder), `cycle: ${[...path, folder].join(" → ")}`).toBe(false);
      visiting.add(folder);
      for (const next of ALLOWED[folder] ?? []) visit(next, [...path, folder]);
      visiting.delete(folder);
      done.add(folder);
    };
    for (const folder of Object.keys(ALLOWED)) visit(folder, []);
  });

  it("sees static, dynamic and re-export imports, and refuses a lower layer reaching up", () => {
    const targets = (file: string) => importsOf(join(SRC, file)).map((i) => i.target);
    expect(targets("context/assemble-context.ts")).toContain("core");
    expect(targets("runtime/model-factory.ts")).toContain("models"); // import("../models/llama/...")
    expect(targets("runtime/index.ts")).toContain("runtime");
    expect(allowed("context", "agent")).toBe(false);
    expect(allowed("privacy", "runtime")).toBe(false);
    expect(allowed("server", "agent")).toBe(false);
  });
});
