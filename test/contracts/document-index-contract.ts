/**
 * Shared contract for document stores (SQLite `SqliteDocumentStore`, `PgDocumentStore` on PGlite with
 * pgvector, on PGlite with arrays, on a PostgreSQL server): everything ingest and search rely on,
 * exercised through `ingestFolder` / `searchDocuments` with a real corpus and known answers.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashEmbedder, THIRD_PARTY_README, writeTestCorpus } from "../../bench/documents-fixtures.js";
import type { DocumentStore } from "../../src/sources/documents/document-store.js";
import type { Embedder } from "../../src/sources/documents/embedders/embedder.js";
import { ingestFolder } from "../../src/sources/documents/ingest-folder.js";
import { citationLabel } from "../../src/sources/documents/passage.js";
import { defaultParsers } from "../../src/sources/documents/parsers/parser-registry.js";
import { searchDocuments } from "../../src/sources/documents/search-documents.js";

export interface DocumentStoreContractOptions {
  /** Returns a new, empty store each call. The contract closes each store it created. */
  create: () => Promise<DocumentStore>;
  skip?: boolean;
}

export function documentStoreContract(name: string, options: DocumentStoreContractOptions): void {
  describe.skipIf(options.skip)(`DocumentStore contract: ${name}`, () => {
    let root: string;
    let keyword: DocumentStore;
    let hybrid: DocumentStore;
    const opened: DocumentStore[] = [];
    const embedder = hashEmbedder(64);
    const fresh = async () => {
      const store = await options.create();
      opened.push(store);
      return store;
    };

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), "flm-docs-contract-"));
      await writeTestCorpus(join(root, "corpus"));
      keyword = await fresh();
      hybrid = await fresh();
      await ingestFolder(keyword, join(root, "corpus"));
      await ingestFolder(hybrid, join(root, "corpus"), { embedder });
    }, 120_000);
    afterAll(async () => {
      for (const store of opened) await store.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    const top3 = async (query: string, store = keyword) =>
      (await searchDocuments(store, query, { limit: 3 })).map((p) => citationLabel(p));

    it("ingests every format with titles and a consistent index", async () => {
      const docs = await keyword.documents();
      expect(docs.get("policies/leave.md")).toMatchObject({ type: "markdown", title: "Leave policy" });
      expect(docs.get("notes/incident.txt")).toMatchObject({
        type: "text",
        title: "Incident report 2024-03",
      });
      expect(docs.get("guide/vpn.html")).toMatchObject({ type: "html", title: "VPN setup guide" });
      expect(docs.get("handbook.pdf")).toMatchObject({ type: "pdf", title: "Acme handbook" });
      expect(docs.get("handbook.pdf")?.chunkCount).toBeGreaterThanOrEqual(3);
      const stats = await keyword.stats();
      expect(stats).toMatchObject({ documents: docs.size, vectors: 0, root: join(root, "corpus") });
      expect(stats.chunks).toBeGreaterThan(docs.size);
      expect(await keyword.integrityCheck()).toBe(true);
      const hybridStats = await hybrid.stats();
      expect(hybridStats).toMatchObject({
        embedder: "hash-bow",
        dimensions: 64,
        vectors: hybridStats.chunks,
      });
      expect(await hybrid.integrityCheck()).toBe(true);
    });

    it.each([
      ["how many days of annual leave do I get?", "leave.md § Leave policy > Annual leave"],
      ["weeks of parental leave after adoption", "leave.md § Leave policy > Parental leave"],
      ["meal reimbursement per day on business trips", "handbook.pdf p.2"],
      ["security badge", "handbook.pdf p.3"],
      ["what are the core hours", "remote-work.md § Remote work > Core hours"],
      ["why did the database run out of disk space", "incident.txt"],
      ["tunnel keeps dropping", "vpn.html § VPN setup > Troubleshooting"],
    ])("keyword: %s → %s in the top 3", async (query, expected) => {
      expect(await top3(query)).toContain(expected);
    });

    it.skipIf(!existsSync(THIRD_PARTY_README)).each([
      ["variadic option", "Variadic option"],
      ["life cycle hooks before the action handler", "Life cycle hooks"],
    ])("keyword on third-party text (commander README): %s", async (query, heading) => {
      const hits = await searchDocuments(keyword, query, { limit: 3 });
      expect(
        hits.some((p) => p.source === "third-party/commander-readme.md" && p.heading?.includes(heading)),
      ).toBe(true);
    });

    it("returns citable passages: path, title, heading or page, offsets into the source", async () => {
      const [hit] = await searchDocuments(keyword, "28 days paid annual leave", { limit: 1 });
      expect(hit).toMatchObject({
        id: "policies/leave.md#1",
        source: "policies/leave.md",
        title: "Leave policy",
        heading: "Leave policy > Annual leave",
      });
      expect(hit.page).toBeUndefined();
      expect(hit.score).toBeGreaterThan(0);
      const file = readFileSync(join(root, "corpus", hit.source), "utf8");
      expect(file.slice(hit.start, hit.end)).toBe(hit.text);
      const [pdf] = await searchDocuments(keyword, "expense receipts finance portal", { limit: 1 });
      expect(pdf).toMatchObject({ source: "handbook.pdf", title: "Acme handbook", page: 2 });
      expect(pdf.text).toContain("within 45 days");
    });

    it("filters by path prefix, glob and type, on both the keyword and the vector side", async () => {
      const sources = async (filters: object, store = keyword) =>
        new Set(
          (
            await searchDocuments(store, "leave days hours policy disk", {
              limit: 50,
              filters,
              embedder: store === hybrid ? embedder : undefined,
            })
          ).map((p) => p.source),
        );
      expect(await sources({ path: "policies/" })).toEqual(
        new Set(["policies/leave.md", "policies/remote-work.md"]),
      );
      expect(await sources({ path: "**/remote-*.md" })).toEqual(new Set(["policies/remote-work.md"]));
      expect(await sources({ type: "pdf" })).toEqual(new Set(["handbook.pdf"]));
      expect(await sources({ type: ["txt", "html"], path: "notes" })).toEqual(
        new Set(["notes/incident.txt"]),
      );
      expect(await sources({ path: "policies/" }, hybrid)).toEqual(
        new Set(["policies/leave.md", "policies/remote-work.md"]),
      );
      await expect(sources({ type: "docx" })).rejects.toMatchObject({ code: "DOC_QUERY_INVALID" });
    });

    it.each([
      ['"unbalanced quote'],
      ["leave AND OR NOT"],
      ["(((leave -annual"],
      ["DROP TABLE chunks; --"],
      ["or"],
    ])("never fails on query syntax: %s", async (query) => {
      await expect(searchDocuments(keyword, query)).resolves.toBeInstanceOf(Array);
    });

    it("hybrid search finds a passage sharing meaning but no words with the query", async () => {
      const query = "automobile coverage";
      expect(await searchDocuments(hybrid, query, { mode: "keyword" })).toEqual([]);
      const vectorOnly = await hybrid.vectorSearch(
        Float32Array.from(normalised(await embedder.embed([query]))),
        undefined,
        3,
      );
      expect(vectorOnly).toHaveLength(3);
      expect(vectorOnly[0].score).toBeGreaterThanOrEqual(vectorOnly[1].score);
      const hits = await searchDocuments(hybrid, query, { embedder, limit: 3 });
      expect(hits[0]).toMatchObject({ source: "fleet/cars.md", heading: "Fleet > Car insurance" });
      expect(await top3("meal reimbursement per day", hybrid)).toContain("handbook.pdf p.2");
    });

    it("refuses another embedder or another dimension with a typed error", async () => {
      await expect(
        searchDocuments(hybrid, "x", { embedder: hashEmbedder(64, "other") }),
      ).rejects.toMatchObject({ code: "DOC_EMBEDDER_MISMATCH" });
      // Synchronous stores throw, asynchronous ones reject: accept both.
      await expect(
        Promise.resolve().then(() => hybrid.vectorSearch(new Float32Array(32).fill(0.1), undefined, 3)),
      ).rejects.toMatchObject({
        code: "DOC_EMBEDDER_MISMATCH",
      });
    });

    it("re-ingests incrementally: changed files only, vanished files removed", async () => {
      const folder = join(root, "incremental");
      await writeTestCorpus(folder, { thirdParty: false });
      const store = await fresh();
      const first = await ingestFolder(store, folder);
      expect(first.added).toBe(6);
      const before = await store.documents();
      const parsed: string[] = [];
      const parsers = defaultParsers.map((parser) => ({
        ...parser,
        parse: (bytes: Uint8Array, path: string) => {
          parsed.push(path);
          return parser.parse(bytes, path);
        },
      }));
      expect(await ingestFolder(store, folder, { parsers })).toMatchObject({
        added: 0,
        updated: 0,
        unchanged: 6,
        chunks: 0,
      });
      expect(parsed).toEqual([]);

      writeFileSync(
        join(folder, "notes/incident.txt"),
        "Incident report 2024-04\n\nThe printer queue froze after a firmware update.\n",
      );
      unlinkSync(join(folder, "guide/vpn.html"));
      const report = await ingestFolder(store, folder, { parsers });
      expect(report).toMatchObject({ added: 0, updated: 1, removed: 1, unchanged: 4 });
      expect(parsed).toEqual(["notes/incident.txt"]);
      const after = await store.documents();
      expect(after.has("guide/vpn.html")).toBe(false);
      expect(after.get("policies/leave.md")).toEqual(before.get("policies/leave.md"));
      expect(await top3("printer firmware", store)).toContain("incident.txt");
      expect(await searchDocuments(store, "database disk space")).toEqual(
        expect.not.arrayContaining([expect.objectContaining({ source: "notes/incident.txt" })]),
      );
      expect(await searchDocuments(store, "MTU tunnel")).toEqual([]);
      expect(await store.integrityCheck()).toBe(true);
    });

    it("an interrupted ingest leaves the old version of a file intact (one transaction per file)", async () => {
      const folder = join(root, "interrupted");
      await writeTestCorpus(folder, { thirdParty: false });
      const store = await fresh();
      await ingestFolder(store, folder, { embedder });
      writeFileSync(
        join(folder, "fleet/cars.md"),
        "# Fleet\n\n## Bicycles\n\nCargo bikes are booked through reception.\n",
      );
      writeFileSync(
        join(folder, "notes/incident.txt"),
        "Incident report 2024-05\n\nThe badge reader rejected every card.\n",
      );
      let calls = 0;
      const failing: Embedder = {
        local: true,
        id: "hash-bow",
        embed: async (texts) => {
          if (++calls === 2) throw new Error("embedding server crashed");
          return embedder.embed(texts);
        },
      };
      const error = await ingestFolder(store, folder, { embedder: failing }).catch((e) => e);
      expect(error).toMatchObject({ code: "DOC_EMBEDDER_FAILED", report: { updated: 1 } });
      // fleet/cars.md (first in order) was replaced; notes/incident.txt kept its old version.
      expect(await top3("cargo bikes", store)).toContain("cars.md § Fleet > Bicycles");
      expect(await top3("why did the database run out of disk space", store)).toContain("incident.txt");
      expect(await searchDocuments(store, "badge reader card", { limit: 10 })).toEqual(
        expect.not.arrayContaining([expect.objectContaining({ source: "notes/incident.txt" })]),
      );
      expect(await store.integrityCheck()).toBe(true);
      const rerun = await ingestFolder(store, folder, { embedder });
      expect(rerun).toMatchObject({ updated: 1, unchanged: 5 });
      expect(await top3("badge reader card", store)).toContain("incident.txt");
    });

    it("re-embeds everything when the embedder changes, even to another dimension", async () => {
      const folder = join(root, "reembed");
      await writeTestCorpus(folder, { thirdParty: false });
      const store = await fresh();
      await ingestFolder(store, folder, { embedder });
      const next = hashEmbedder(32, "hash-32");
      const report = await ingestFolder(store, folder, { embedder: next });
      expect(report.updated).toBe(6);
      expect(await store.stats()).toMatchObject({ embedder: "hash-32", dimensions: 32 });
      const hits = await searchDocuments(store, "automobile coverage", { embedder: next, limit: 3 });
      expect(hits[0].source).toBe("fleet/cars.md");
    });
  });
}

function normalised(vectors: number[][]): number[] {
  const v = vectors[0];
  const norm = Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
  return v.map((x) => x / norm);
}
