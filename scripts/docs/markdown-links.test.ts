import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkMarkdownLinks,
  docsFiles,
  headingAnchors,
  linkTargets,
  unreachablePages,
} from "./markdown-links.js";

describe("headingAnchors", () => {
  it("follows GitHub's slug rules: lower case, punctuation dropped, code kept, duplicates numbered", () => {
    const anchors = headingAnchors(
      [
        "# Accuracy (`npm run eval:pii`)",
        "## Timeouts, honestly",
        "## Numbers",
        "### Numbers",
        "## `agents.<name>.planner`",
        "## Speed (`npx tsx bench/privacy-guard.ts`)",
        '<a id="custom-anchor"></a>',
        "```md",
        "# not a heading",
        "```",
      ].join("\n"),
    );
    expect([...anchors]).toEqual([
      "accuracy-npm-run-evalpii",
      "timeouts-honestly",
      "numbers",
      "numbers-1",
      "agentsnameplanner",
      "speed-npx-tsx-benchprivacy-guardts",
      "custom-anchor",
    ]);
  });
});

describe("linkTargets", () => {
  it("finds links in paragraphs, lists, tables and reference definitions, not in code", () => {
    const hrefs = linkTargets(
      [
        "See [a](a.md) and ![img](img.png).",
        "- [b](b.md#x)",
        "",
        "| x | y |",
        "| - | - |",
        "| [c](c.md) | `[no](no.md)` |",
        "",
        "[ref link][r]",
        "",
        "[r]: d.md",
        "",
        "```",
        "[code](code.md)",
        "```",
      ].join("\n"),
    );
    expect(hrefs).toEqual(["a.md", "img.png", "b.md#x", "c.md", "d.md"]);
  });
});

describe("checkMarkdownLinks", () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "flm-links-"));
    write("README.md", "[guide](docs/guide.md#the-part) · [docs](docs/) · [web](https://example.com/x.md)\n");
    write("CONTRIBUTING.md", "[gone](docs/gone.md)\n");
    write(
      "docs/guide.md",
      "# Guide\n\n## The part\n\n[up](../README.md) [self](#guide) [bad](#nope) [code](../src/x.ts#L3)\n",
    );
    write("docs/sub/page.md", "[guide](../guide.md#missing) [outside](../../../etc/passwd)\n");
    write("src/x.ts", "export {};\n");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("lists README.md, CONTRIBUTING.md and every page under docs/", () => {
    expect(docsFiles(root)).toEqual(["README.md", "CONTRIBUTING.md", "docs/guide.md", "docs/sub/page.md"]);
  });

  it("reports missing files, missing anchors and links leaving the repository, and nothing else", () => {
    const problems = checkMarkdownLinks(root).map((p) => `${p.file}:${p.line} ${p.href} | ${p.problem}`);
    expect(problems).toEqual([
      "CONTRIBUTING.md:1 docs/gone.md | no such file: docs/gone.md",
      "docs/guide.md:5 #nope | no heading with the anchor #nope in docs/guide.md",
      "docs/sub/page.md:1 ../guide.md#missing | no heading with the anchor #missing in docs/guide.md",
      "docs/sub/page.md:1 ../../../etc/passwd | points outside the repository",
    ]);
  });

  it("finds the pages no chain of links from README.md reaches", () => {
    // README → docs/guide.md → README; nothing links to docs/sub/page.md or CONTRIBUTING.md.
    expect(unreachablePages(root)).toEqual(["CONTRIBUTING.md", "docs/sub/page.md"]);
  });
});
