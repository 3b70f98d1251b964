import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashEmbedder, writeTestCorpus } from "../../../bench/documents-fixtures.js";
import { toolSourceContract } from "../../testing/tool-source-contract.js";
import { createDocumentSource, type DocumentSearchResult } from "./document-source.js";
import { toolSpec } from "../../tools/tool.js";
import { citationLabel } from "./passage.js";

const root = mkdtempSync(join(tmpdir(), "flm-docs-source-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

toolSourceContract("documents", async () => {
  const folder = join(root, "contract");
  await writeTestCorpus(folder, { thirdParty: false });
  return {
    source: createDocumentSource({ name: "handbook", index: join(root, "contract.sqlite"), folder }),
    call: { tool: "search_documents", args: { query: "parental leave" } },
    invalidArgs: { query: "x", filters: { type: "docx" } },
  };
});

describe("createDocumentSource", () => {
  it("ingests the folder on first use and returns compact passages, hybrid with an embedder", async () => {
    const folder = join(root, "hybrid");
    await writeTestCorpus(folder, { thirdParty: false });
    const source = createDocumentSource({
      name: "handbook",
      index: join(root, "hybrid.sqlite"),
      folder,
      embedder: hashEmbedder(),
      topK: 2,
    });
    try {
      const [tool] = await source.tools();
      expect(tool.source).toBe("docs:handbook");
      expect(JSON.stringify(tool.inputSchema)).toContain("filters");
      const { value, issues } = tool.validate({ query: "vehicle coverage", filters: { path: "fleet/" } });
      expect(issues).toEqual([]);
      const out = (await tool.run(value, {
        signal: new AbortController().signal,
        stepId: "s1",
      })) as DocumentSearchResult;
      expect(out.passages).toHaveLength(1);
      expect(Object.keys(out.passages[0]).sort()).toEqual([
        "cite",
        "heading",
        "id",
        "score",
        "source",
        "text",
        "title",
      ]);
      expect(out.passages[0]).toMatchObject({ source: "fleet/cars.md", heading: "Fleet > Car insurance" });

      const pdf = (await tool.run(tool.validate({ query: "meals euros", limit: 1 }).value, {
        signal: new AbortController().signal,
        stepId: "s2",
      })) as DocumentSearchResult;
      expect(citationLabel(pdf.passages[0])).toBe("handbook.pdf p.2");
      expect(pdf.passages[0].cite).toBe("handbook.pdf p.2");
      expect(await source.check?.()).toMatchObject({ ok: true });
      expect((await source.ingest()).unchanged).toBe(6);
    } finally {
      await source.close();
    }
  });

  it("canary: the planner-facing tool spec never contains passage text, even after searches", async () => {
    const folder = join(root, "canary");
    await writeTestCorpus(folder, { thirdParty: false });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(folder, "secret.md"), "# Secret\n\nThe launch code is CANARY-7f3a9c.\n");
    const source = createDocumentSource({ name: "vault", index: join(root, "canary.sqlite"), folder });
    try {
      const [tool] = await source.tools();
      const out = await tool.run(tool.validate({ query: "launch code" }).value, {
        signal: new AbortController().signal,
        stepId: "s1",
      });
      expect(JSON.stringify(out)).toContain("CANARY-7f3a9c");
      const [again] = await source.tools();
      expect(JSON.stringify(toolSpec(again))).not.toContain("CANARY");
      expect(JSON.stringify(toolSpec(again))).not.toContain("launch");
    } finally {
      await source.close();
    }
  });

  it("citationLabel formats page, heading or bare file name", () => {
    expect(citationLabel({ source: "a/handbook.pdf", page: 12 })).toBe("handbook.pdf p.12");
    expect(citationLabel({ source: "p/leave.md", heading: "Leave > Sick" })).toBe("leave.md § Leave > Sick");
    expect(citationLabel({ source: "notes.txt" })).toBe("notes.txt");
  });

  it("check() reports a missing index without throwing", async () => {
    const source = createDocumentSource({ name: "none", index: join(root, "missing.sqlite") });
    expect(await source.check?.()).toMatchObject({ ok: false });
    await source.close();
  });
});
