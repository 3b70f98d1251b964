/**
 * No message points to a file that does not exist: every `docs/…`, `bench/…`, `examples/…` or
 * `scripts/…` path quoted in src/ (error hints, help texts, config descriptions, comments) must
 * exist in the repository, and a `#anchor` after a Markdown page must be one of its headings.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { headingAnchors } from "./markdown-links.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const PATH =
  /\b((?:docs|bench|examples|scripts)\/[A-Za-z0-9_./-]+\.(?:md|json|ts|yaml|yml|mjs))(#[a-z0-9_-]+)?/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function quotedPaths(text: string): { path: string; anchor?: string }[] {
  return [...text.matchAll(PATH)].map((m) => ({ path: m[1]!.replace(/\.$/, ""), anchor: m[2]?.slice(1) }));
}

describe("paths quoted in messages", () => {
  it("finds paths and anchors in a text (so the check below can fail)", () => {
    expect(
      quotedPaths('hint: "see docs/readme/config.md" and docs/concepts/privacy.md#entity-types.'),
    ).toEqual([
      { path: "docs/readme/config.md", anchor: undefined },
      { path: "docs/concepts/privacy.md", anchor: "entity-types" },
    ]);
  });

  it("every path in src/ exists, and every #anchor is a heading of its page", () => {
    const problems: string[] = [];
    for (const file of sourceFiles(join(ROOT, "src"))) {
      const text = readFileSync(file, "utf8");
      for (const { path, anchor } of quotedPaths(text)) {
        const where = `${relative(ROOT, file)}: ${path}${anchor ? `#${anchor}` : ""}`;
        const target = join(ROOT, path);
        if (!existsSync(target)) problems.push(`${where} does not exist`);
        else if (anchor && path.endsWith(".md") && !headingAnchors(readFileSync(target, "utf8")).has(anchor))
          problems.push(`${where}: no such heading`);
      }
    }
    expect(problems).toEqual([]);
  });
});
