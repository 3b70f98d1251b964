import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeEmbedServer,
  startFakeEmbedServer,
  THIRD_PARTY_README,
  writeTestCorpus,
} from "../../../bench/documents-fixtures.js";
import { SqliteDocumentStore } from "./sqlite-document-store.js";
import { createOllamaEmbedder } from "./embedders/http-embedder.js";
import { ingestFolder } from "./ingest-folder.js";
import { citationLabel } from "./passage.js";
import { searchDocuments, searchIndex } from "./search-documents.js";

let root: string;
let keywordIndex: string;
let hybridIndex: string;
let server: FakeEmbedServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "flm-docs-search-"));
  const folder = join(root, "corpus");
  await writeTestCorpus(folder);
  keywordIndex = join(root, "keyword.sqlite");
  hybridIndex = join(root, "hybrid.sqlite");
  server = await startFakeEmbedServer();
  await ingestFolder(keywordIndex, folder);
  await ingestFolder(hybridIndex, folder, {
    embedder: createOllamaEmbedder({ baseUrl: server.url, model: "bow" }),
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const top3 = async (query: string, index = keywordIndex) =>
  (await searchDocuments(index, query, { limit: 3 })).map((p) => citationLabel(p));

// Known-answer ranking, citations and offsets run on this index through the DocumentStore
// contract (sqlite-document-store.contract.test.ts); here: what is particular to FTS5 and the file.
describe("searchDocuments (keyword, FTS5 BM25)", () => {
  it.skipIf(!existsSync(THIRD_PARTY_README))(
    "third-party text (commander README): negatable boolean option with a no- prefix",
    async () => {
      const hits = await searchDocuments(keywordIndex, "negatable boolean option with a no- prefix", {
        limit: 3,
      });
      expect(
        hits.some(
          (p) => p.source === "third-party/commander-readme.md" && p.heading?.includes("negatable boolean"),
        ),
      ).toBe(true);
    },
  );

  it.each([
    ['"unbalanced quote'],
    ["leave AND OR NOT"],
    ["NEAR(leave annual, 3)"],
    ["leave*"],
    ["title:leave ^annual"],
    ["(((leave"],
    ["- + * : ^ ' \""],
    ["DROP TABLE chunks; --"],
  ])("never fails on FTS5 syntax in the query: %s", async (query) => {
    await expect(searchDocuments(keywordIndex, query)).resolves.toBeInstanceOf(Array);
  });

  it("refuses an empty query with a typed error", async () => {
    await expect(searchDocuments(keywordIndex, "   ")).rejects.toMatchObject({ code: "DOC_QUERY_INVALID" });
  });

  it("filters by path prefix, glob and type", async () => {
    const sources = async (filters: object) =>
      new Set(
        (await searchDocuments(keywordIndex, "leave days hours policy disk", { limit: 50, filters })).map(
          (p) => p.source,
        ),
      );
    expect(await sources({ path: "policies/" })).toEqual(
      new Set(["policies/leave.md", "policies/remote-work.md"]),
    );
    expect(await sources({ path: "**/remote-*.md" })).toEqual(new Set(["policies/remote-work.md"]));
    expect(await sources({ type: "pdf" })).toEqual(new Set(["handbook.pdf"]));
    expect(await sources({ type: ["txt", "html"], path: "notes" })).toEqual(new Set(["notes/incident.txt"]));
    await expect(sources({ type: "docx" })).rejects.toMatchObject({ code: "DOC_QUERY_INVALID" });
  });

  it("reports a corrupted index file clearly", async () => {
    const { writeFileSync } = await import("node:fs");
    const junk = join(root, "junk.sqlite");
    writeFileSync(junk, "this is not a database ".repeat(100));
    await expect(searchDocuments(junk, "x")).rejects.toMatchObject({ code: "DOC_INDEX_INVALID" });
    await expect(ingestFolder(junk, join(root, "corpus"))).rejects.toMatchObject({
      code: "DOC_INDEX_INVALID",
    });
  });

  it("reports a missing index clearly", async () => {
    await expect(searchDocuments(join(root, "missing.sqlite"), "x")).rejects.toMatchObject({
      code: "DOC_INDEX_NOT_FOUND",
    });
  });
});

describe("hybrid search (BM25 + vectors, RRF)", () => {
  const embedder = () => createOllamaEmbedder({ baseUrl: server.url, model: "bow" });

  it("finds a passage that shares meaning but no words with the query", async () => {
    const query = "automobile coverage";
    expect(await searchDocuments(hybridIndex, query, { mode: "keyword" })).toEqual([]);
    const hits = await searchDocuments(hybridIndex, query, { embedder: embedder(), limit: 3 });
    expect(hits[0]).toMatchObject({ source: "fleet/cars.md", heading: "Fleet > Car insurance" });
    expect(server.requests.at(-1)).toMatchObject({
      path: "/api/embed",
      body: { model: "bow", input: [query] },
    });
  });

  it("keeps keyword answers on top for keyword-friendly queries", async () => {
    expect(await top3("meal reimbursement per day", hybridIndex)).toContain("handbook.pdf p.2");
    const hits = await searchDocuments(hybridIndex, "MTU setting", { embedder: embedder(), limit: 3 });
    expect(hits[0].source).toBe("guide/vpn.html");
  });

  it("applies filters to the vector side too", async () => {
    const hits = await searchDocuments(hybridIndex, "automobile coverage", {
      embedder: embedder(),
      filters: { path: "policies/" },
      limit: 10,
    });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((p) => p.source.startsWith("policies/"))).toBe(true);
  });

  it("refuses a different embedder than the one the index was built with", async () => {
    const other = createOllamaEmbedder({ baseUrl: server.url, model: "other" });
    await expect(searchDocuments(hybridIndex, "x", { embedder: other })).rejects.toMatchObject({
      code: "DOC_EMBEDDER_MISMATCH",
    });
    await expect(searchDocuments(keywordIndex, "x", { mode: "hybrid" })).rejects.toMatchObject({
      code: "DOC_QUERY_INVALID",
    });
  });

  it("sees writes made by another connection (vector cache invalidation)", async () => {
    const index = SqliteDocumentStore.open(hybridIndex);
    try {
      const first = await searchIndex(index, "automobile coverage", { embedder: embedder() });
      expect(first[0].source).toBe("fleet/cars.md");
      const writer = SqliteDocumentStore.open(hybridIndex);
      writer.removeDocument("fleet/cars.md");
      writer.close();
      const second = await searchIndex(index, "automobile coverage", { embedder: embedder() });
      expect(second.some((p) => p.source === "fleet/cars.md")).toBe(false);
    } finally {
      index.close();
    }
  });
});
