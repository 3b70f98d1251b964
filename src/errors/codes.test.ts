import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, EXIT, errorCodeInfo, exitCodeOf, httpStatusOf } from "./codes.js";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.(test|contract)\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Where an error code is written in the source: constructors, error factories, code unions, comparisons. */
const CODE_SITES = [
  /super\(\s*"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"/g,
  /new \w*Error\(\s*"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"/g,
  /\b\w+Error\(\s*"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"/g,
  /\bcode(?: ===|:)\s*"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"/g,
  /isFlmError\(\w+, "([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"\)/g,
];
const CODE_UNION = /export type \w*ErrorCode =([^;]+);/g;

function codesInSource(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    const at = relative(SRC, file);
    for (const site of CODE_SITES) for (const m of text.matchAll(site)) codes.set(m[1]!, at);
    for (const m of text.matchAll(CODE_UNION))
      for (const c of m[1]!.matchAll(/"([A-Z_0-9]+)"/g)) codes.set(c[1]!, at);
  }
  return codes;
}

describe("error code registry", () => {
  it("registers every code the source uses", () => {
    const used = codesInSource();
    expect(used.size).toBeGreaterThan(60);
    const missing = [...used].filter(([code]) => !errorCodeInfo(code)).map(([code, at]) => `${code} (${at})`);
    expect(missing).toEqual([]);
  });

  it("gives each code an HTTP status, an exit code and a one-line description", () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(info.http, code).toBeGreaterThanOrEqual(400);
      expect(Object.values(EXIT), code).toContain(info.exit);
      expect(info.description, code).toMatch(/^[A-Z`].{9,}\.$/);
      expect(info.description, code).not.toContain("\n");
    }
  });

  it("maps codes to the statuses and exit codes the gateway and CLI document", () => {
    expect(httpStatusOf("EGRESS_BLOCKED")).toBe(403);
    expect(httpStatusOf("PLANNER_TIMEOUT")).toBe(504);
    expect(httpStatusOf("PLAN_INVALID")).toBe(502);
    expect(httpStatusOf("PROMPT_EMPTY")).toBe(400);
    expect(httpStatusOf("RUN_CANCELLED")).toBe(499);
    expect(httpStatusOf("SOMETHING_NEW")).toBe(500);
    expect(exitCodeOf("USAGE")).toBe(EXIT.usage);
    expect(exitCodeOf("CONFIG_INVALID")).toBe(EXIT.config);
    expect(exitCodeOf("MCP_CONFIG_INVALID")).toBe(EXIT.config);
    expect(exitCodeOf("GENERATOR_UNTRUSTED")).toBe(EXIT.config);
    expect(exitCodeOf("SQL_TIMEOUT")).toBe(EXIT.runtime);
    expect(exitCodeOf("SOMETHING_NEW")).toBe(EXIT.runtime);
    expect(errorCodeInfo("toString")).toBeUndefined();
  });
});
