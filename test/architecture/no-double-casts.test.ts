/**
 * `x as unknown as T` silences the type checker instead of proving a type: parse, narrow with a
 * guard, or fix the declared type. None in src/ outside tests (issue #13).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");
const DOUBLE_CAST = /\bas\s+unknown\s+as\b/g;

/** Line numbers (1-based) where a double cast starts. */
function doubleCasts(text: string): number[] {
  return [...text.matchAll(DOUBLE_CAST)].map((m) => text.slice(0, m.index).split("\n").length);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.(test|contract)\.tsx?$/.test(name) ? [path] : [];
  });
}

describe("no double casts", () => {
  it("src/ (outside tests) has no `as unknown as`", () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    const hits = files.flatMap((file) =>
      doubleCasts(readFileSync(file, "utf8")).map((line) => `${relative(SRC, file)}:${line}`),
    );
    expect(hits).toEqual([]);
  });

  it("recognizes the pattern, across line breaks of the formatter too", () => {
    expect(doubleCasts("const x = y as unknown as number;")).toEqual([1]);
    expect(doubleCasts("a;\nconst x = (y as unknown\n  as number);")).toEqual([2]);
    expect(doubleCasts("const unknownAs = 1; // as unknown, as said")).toEqual([]);
  });
});
