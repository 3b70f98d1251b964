import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SCHEMA_FILE, SCHEMA_URL_IN_PACKAGE } from "./config-reference.js";
import { generatedFiles } from "./generated-files.js";
import {
  checkMarkdownLinks,
  docsFiles,
  linkChecker,
  sourceDocReferences,
  unreachablePages,
} from "./markdown-links.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("the docs", () => {
  it.each(generatedFiles().map((f) => [f.path, f.content]))(
    "%s is current (otherwise run npm run docs:gen)",
    (path, content) => {
      const file = join(root, path);
      expect(existsSync(file), `${path} is missing: run npm run docs:gen`).toBe(true);
      expect(readFileSync(file, "utf8"), `${path} is stale: run npm run docs:gen`).toBe(content);
    },
  );

  it("resolve every relative link and #anchor in README.md, CONTRIBUTING.md and docs/", () => {
    const files = docsFiles(root);
    expect(files).toContain("README.md");
    expect(files).toContain("docs/README.md");
    const problems = checkMarkdownLinks(root, files).map(
      (p) => `${p.file}:${p.line} ${p.href}: ${p.problem}`,
    );
    expect(problems).toEqual([]);
  });

  it("exist where the code points to them (error hints: see docs/…)", () => {
    const refs = sourceDocReferences(root);
    expect(refs.length).toBeGreaterThan(0);
    const check = linkChecker(root);
    const problems = refs.flatMap((r) => {
      const problem = check("README.md", r.href);
      return problem ? [`${r.file}:${r.line} ${r.href}: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it("leave no page unreachable from README.md (link a new page from docs/README.md)", () => {
    expect(unreachablePages(root)).toEqual([]);
  });

  it("keep the README a short front door with the test command", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(10 * 1024);
    expect(readme).toMatch(/^npm test\b/m);
  });

  it("publish the configuration schema and say how editors find it", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { files: string[] };
    expect(pkg.files).toContain(SCHEMA_FILE);
    const guide = readFileSync(join(root, "docs/guides/configuration.md"), "utf8");
    expect(guide).toContain(`# yaml-language-server: $schema=${SCHEMA_URL_IN_PACKAGE}`);
    expect(guide).toContain(`"$schema": "${SCHEMA_URL_IN_PACKAGE}"`);
  });
});
