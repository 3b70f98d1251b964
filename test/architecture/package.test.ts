/**
 * What users install and import: runtime imports are declared dependencies; the package root does
 * not load database drivers, llama.cpp, the MCP SDK, the HTTP server or vitest; test-only code
 * (vitest) ships only under federated-lm/testing. Checked on a real build of src/ and on the file
 * list `npm pack` would publish.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  exports: Record<string, string | { import: string }>;
  files: string[];
};
const STATIC = /(?:^|\n)\s*(?:import|export)\s(?:[^;"']*?\sfrom\s)?["']([^"']+)["']/g;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
/** Heavy or optional parts that must not load with `import "federated-lm"`. */
const NOT_IN_ROOT = [
  "mongodb",
  "pg",
  "better-sqlite3",
  "node-llama-cpp",
  "@modelcontextprotocol/sdk",
  "hono",
  "@hono/node-server",
  "pdfjs-dist",
  "vitest",
];

/** Dev dependencies a shipped file may import on a path that only runs from the .ts sources. */
const SOURCE_ONLY: Record<string, string> = {
  esbuild: "sqlite/module-worker.js", // transpiles worker modules under vitest/tsx; dist runs the .js
};

const packageOf = (spec: string) =>
  spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
const isBuiltin = (spec: string) => spec.startsWith("node:") || builtinModules.includes(spec.split("/")[0]!);

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : name.endsWith(ext) ? [path] : [];
  });
}

function imports(file: string, kinds: RegExp[]): string[] {
  const text = readFileSync(file, "utf8");
  return kinds.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
}

describe("package", () => {
  let dist: string;
  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), "flm-dist-"));
    execFileSync(
      process.execPath,
      [
        join(ROOT, "node_modules/typescript/bin/tsc"),
        "-p",
        "tsconfig.build.json",
        "--outDir",
        dist,
        "--declaration",
        "false",
        "--sourceMap",
        "false",
      ],
      { cwd: ROOT, stdio: "pipe" },
    );
  }, 120_000);
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it("declares every package src imports at run time (dependencies, optional, or the vitest peer for testing)", () => {
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies)]);
    const undeclared: string[] = [];
    for (const file of files(dist, ".js")) {
      for (const spec of imports(file, [STATIC, DYNAMIC])) {
        if (spec.startsWith(".") || isBuiltin(spec)) continue;
        const name = packageOf(spec);
        const testing = relative(dist, file).startsWith("testing/");
        if (declared.has(name) || (testing && name in pkg.peerDependencies)) continue;
        if (SOURCE_ONLY[name] === relative(dist, file)) continue;
        undeclared.push(`${relative(dist, file)}: ${spec}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it("loads optional dependencies only on first use (no static import; core/load-optional.ts)", () => {
    const optional = new Set(Object.keys(pkg.optionalDependencies));
    const eager = files(dist, ".js").flatMap((file) =>
      imports(file, [STATIC])
        .filter((spec) => optional.has(packageOf(spec)))
        .map((spec) => `${relative(dist, file)}: ${spec}`),
    );
    expect(optional.size).toBeGreaterThan(0);
    expect(eager).toEqual([]);
  });

  it("keeps heavy and optional parts out of the root's static import graph", () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of imports(file, [STATIC])) {
        if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
        else if (!isBuiltin(spec)) packages.add(packageOf(spec));
      }
    };
    visit(join(dist, "index.js"));
    expect(seen.size).toBeGreaterThan(20);
    expect(packages.has("ai")).toBe(true); // the scan sees packages
    expect(NOT_IN_ROOT.filter((p) => packages.has(p))).toEqual([]);
    // and nothing of the subpath entries' heavy sources
    expect(
      [...seen]
        .map((f) => relative(dist, f))
        .filter((f) =>
          /^(sources\/(sql|mongo|mcp|openapi|documents)|server|testing|models\/llama)\//.test(f),
        ),
    ).toEqual([]);
  });

  it("exports files that exist in the build, and ships no test code outside federated-lm/testing", () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      const path = typeof target === "string" ? target : target.import;
      if (!path.startsWith("./dist/")) continue;
      expect(existsSync(join(dist, path.slice("./dist/".length))), entry).toBe(true);
    }
    const shipped = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: ROOT,
        encoding: "utf8",
      }),
    ) as Array<{ files: Array<{ path: string }> }>;
    const paths = shipped[0]!.files.map((f) => f.path);
    expect(paths).toContain("dist/index.js");
    expect(paths).toContain("docs/reference/flm.schema.json");
    expect(paths.filter((p) => /\.test\.(js|d\.ts)$|\.contract\.(js|d\.ts)$/.test(p))).toEqual([]);
    const vitestOutsideTesting = files(dist, ".js")
      .filter((f) => !relative(dist, f).startsWith("testing/"))
      .filter((f) => imports(f, [STATIC, DYNAMIC]).some((s) => packageOf(s) === "vitest"))
      .map((f) => relative(dist, f));
    expect(vitestOutsideTesting).toEqual([]);
  });
});
