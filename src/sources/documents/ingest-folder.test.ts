import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashEmbedder, makePdf, writeTestCorpus } from "../../../bench/documents-fixtures.js";
import { SqliteDocumentStore } from "./sqlite-document-store.js";
import type { Embedder } from "./embedders/embedder.js";
import { DocumentIngestError, type IngestProgress, ingestFolder } from "./ingest-folder.js";
import { markdownParser } from "./parsers/markdown-parser.js";
import { defaultParsers } from "./parsers/parser-registry.js";
import { searchDocuments } from "./search-documents.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "flm-docs-ingest-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function setup(name: string) {
  return { folder: join(root, name, "corpus"), index: join(root, name, "index.sqlite") };
}

function stats(indexPath: string) {
  const index = SqliteDocumentStore.open(indexPath);
  try {
    return { ...index.stats(), consistent: index.integrityCheck(), docs: index.documents() };
  } finally {
    index.close();
  }
}

describe("ingestFolder", () => {
  it("ingests Markdown, text, HTML and PDF with titles, headings and pages, reporting progress", async () => {
    const { folder, index } = setup("basic");
    const written = await writeTestCorpus(folder);
    const events: IngestProgress[] = [];
    const report = await ingestFolder(index, folder, { onProgress: (e) => events.push(e) });

    expect(report.failed).toEqual([]);
    expect(report.added).toBe(written.length);
    expect(report.skipped).toBe(1); // notes/image.png
    expect(report.chunks).toBeGreaterThan(written.length);
    expect(report.bytes).toBeGreaterThan(40_000);
    expect(events[0]).toMatchObject({ phase: "scan", files: written.length });
    const fileEvents = events.filter((e) => e.phase === "file");
    expect(fileEvents.map((e) => e.done)).toEqual(written.map((_, i) => i + 1));
    expect(fileEvents.at(-1)).toMatchObject({ total: written.length });

    const { docs, consistent } = stats(index);
    expect(consistent).toBe(true);
    expect(docs.get("policies/leave.md")).toMatchObject({ type: "markdown", title: "Leave policy" });
    expect(docs.get("policies/remote-work.md")?.title).toBe("Remote work");
    expect(docs.get("notes/incident.txt")).toMatchObject({ type: "text", title: "Incident report 2024-03" });
    expect(docs.get("guide/vpn.html")).toMatchObject({ type: "html", title: "VPN setup guide" });
    expect(docs.get("handbook.pdf")).toMatchObject({ type: "pdf", title: "Acme handbook" });

    const [pdfHit] = await searchDocuments(index, "expense receipts finance portal");
    expect(pdfHit).toMatchObject({ source: "handbook.pdf", page: 2 });
    expect(pdfHit.text).toContain("within 45 days");
    const [htmlHit] = await searchDocuments(index, "MTU");
    expect(htmlHit).toMatchObject({ source: "guide/vpn.html", heading: "VPN setup > Troubleshooting" });
    // Scripts are not content; a shell comment in a code fence is not a heading.
    expect(await searchDocuments(index, "scriptcontentmustnotbeindexed")).toEqual([]);
    const [fence] = await searchDocuments(index, "shell comment heading");
    expect(fence.heading).toBe("Leave policy > Sick leave");
  });

  it("re-ingests incrementally: only the changed file is re-processed, deleted files are removed", async () => {
    const { folder, index } = setup("incremental");
    await writeTestCorpus(folder, { thirdParty: false });
    await ingestFolder(index, folder);
    const before = stats(index).docs;

    const unchanged = await ingestFolder(index, folder);
    expect(unchanged).toMatchObject({ added: 0, updated: 0, removed: 0, chunks: 0, bytes: 0 });

    const parsed: string[] = [];
    const spyParsers = defaultParsers.map((parser) => ({
      ...parser,
      parse: (bytes: Uint8Array, path: string) => {
        parsed.push(path);
        return parser.parse(bytes, path);
      },
    }));
    writeFileSync(
      join(folder, "fleet/cars.md"),
      "# Fleet\n\n## Bicycles\n\nCargo bikes can be booked at reception.\n",
    );
    // Touched but identical content: same sha256, so not re-parsed.
    utimesSync(join(folder, "notes/incident.txt"), new Date(), new Date(Date.now() + 5000));
    rmSync(join(folder, "guide/vpn.html"));

    const report = await ingestFolder(index, folder, { parsers: spyParsers });
    expect(parsed).toEqual(["fleet/cars.md"]);
    expect(report).toMatchObject({ added: 0, updated: 1, removed: 1, failed: [] });
    expect(report.unchanged).toBe(before.size - 2);

    const after = stats(index);
    expect(after.consistent).toBe(true);
    expect(after.docs.has("guide/vpn.html")).toBe(false);
    expect(after.docs.get("handbook.pdf")?.id).toBe(before.get("handbook.pdf")?.id);
    expect(await searchDocuments(index, "comprehensive insurance")).toEqual([]);
    expect((await searchDocuments(index, "cargo bikes"))[0].source).toBe("fleet/cars.md");
    expect(await searchDocuments(index, "WireGuard")).toEqual([]);
  });

  it("reports corrupted, binary and empty files with typed errors and keeps indexing the rest", async () => {
    const { folder, index } = setup("corrupt");
    await writeTestCorpus(folder, { thirdParty: false });
    const pdf = await makePdf([["Some text"]]);
    writeFileSync(join(folder, "truncated.pdf"), pdf.subarray(0, 200));
    writeFileSync(join(folder, "junk.pdf"), "this is not a pdf at all");
    writeFileSync(
      join(folder, "image.md"),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff]),
    );
    writeFileSync(join(folder, "empty.txt"), "");
    writeFileSync(join(folder, "blank.md"), "   \n\n  \n");
    writeFileSync(join(folder, "empty.pdf"), "");
    writeFileSync(join(folder, "scanned.pdf"), await makePdf([[]]));

    const report = await ingestFolder(index, folder);
    const codes = Object.fromEntries(report.failed.map((f) => [f.path, f.code]));
    expect(codes).toEqual({
      "blank.md": "DOC_EMPTY",
      "empty.pdf": "DOC_EMPTY",
      "empty.txt": "DOC_EMPTY",
      "image.md": "DOC_BINARY",
      "junk.pdf": "DOC_PDF_INVALID",
      "scanned.pdf": "DOC_PDF_NO_TEXT",
      "truncated.pdf": "DOC_PDF_INVALID",
    });
    for (const failure of report.failed) expect(failure.message).toContain(failure.path);
    expect(report.added).toBe(6);
    const after = stats(index);
    expect(after.consistent).toBe(true);
    expect(after.documents).toBe(6);
    expect((await searchDocuments(index, "parental leave"))[0].source).toBe("policies/leave.md");
  });

  it("keeps the previous version when a file becomes unparseable, and retries it next time", async () => {
    const { folder, index } = setup("regress");
    mkdirp(folder);
    writeFileSync(join(folder, "a.md"), "# A\n\nThe original zebra text.\n");
    await ingestFolder(index, folder);
    writeFileSync(join(folder, "a.md"), Buffer.from([0, 1, 2, 3, 0, 0, 9]));
    const broken = await ingestFolder(index, folder);
    expect(broken.failed).toMatchObject([{ path: "a.md", code: "DOC_BINARY" }]);
    expect((await searchDocuments(index, "zebra"))[0].source).toBe("a.md");
    writeFileSync(join(folder, "a.md"), "# A\n\nA new giraffe text.\n");
    expect(await ingestFolder(index, folder)).toMatchObject({ updated: 1, failed: [] });
    expect(await searchDocuments(index, "zebra")).toEqual([]);
  });

  it("an embedder that throws midway leaves the previous versions intact; re-running completes", async () => {
    const { folder, index } = setup("interrupt");
    await writeTestCorpus(folder, { thirdParty: false });
    const good = hashEmbedder(64, "hash-64");
    await ingestFolder(index, folder, { embedder: good });
    const before = stats(index);

    // Change two files; the embedder dies on the second one.
    writeFileSync(
      join(folder, "fleet/cars.md"),
      "# Fleet\n\n## Bicycles\n\nCargo bikes can be booked at reception.\n",
    );
    writeFileSync(join(folder, "policies/remote-work.md"), "# Remote work\n\nNo more remote work, sorry.\n");
    let calls = 0;
    const flaky: Embedder = {
      local: true,
      id: "hash-64",
      embed: async (texts, signal) => {
        if (++calls === 2) throw new Error("embedding server crashed");
        return good.embed(texts, signal);
      },
    };
    const error = await ingestFolder(index, folder, { embedder: flaky }).catch((e) => e);
    expect(error).toBeInstanceOf(DocumentIngestError);
    expect(error.code).toBe("DOC_EMBEDDER_FAILED");
    expect(error.report.updated).toBe(1);

    const mid = stats(index);
    expect(mid.consistent).toBe(true);
    expect(mid.chunks).toBe(mid.vectors);
    expect(mid.documents).toBe(before.documents);
    // The file being embedded when it failed still has its previous version.
    expect((await searchDocuments(index, "core hours"))[0].source).toBe("policies/remote-work.md");

    const rerun = await ingestFolder(index, folder, { embedder: good });
    expect(rerun).toMatchObject({ updated: 1, failed: [] });
    expect(await searchDocuments(index, "core hours")).toEqual([]);
    const end = stats(index);
    expect(end.consistent).toBe(true);
    expect(end.chunks).toBe(end.vectors);
  });

  it("a parser that throws is a per-file failure and does not stop the ingest", async () => {
    const { folder, index } = setup("parser-throws");
    await writeTestCorpus(folder, { thirdParty: false });
    const parsers = defaultParsers.map((parser) =>
      parser === markdownParser
        ? {
            ...parser,
            parse: async (bytes: Uint8Array, path: string) => {
              if (path.endsWith("leave.md")) throw new Error("parser bug");
              return parser.parse(bytes, path);
            },
          }
        : parser,
    );
    const report = await ingestFolder(index, folder, { parsers });
    expect(report.failed).toEqual([
      { path: "policies/leave.md", code: "DOC_PARSE_FAILED", message: "policies/leave.md: parser bug" },
    ]);
    expect(report.added).toBe(5);
    expect(stats(index).consistent).toBe(true);
  });

  it("stops on abort with the partial report, and the next run finishes the job", async () => {
    const { folder, index } = setup("abort");
    await writeTestCorpus(folder, { thirdParty: false });
    const controller = new AbortController();
    const error = await ingestFolder(index, folder, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.phase === "file" && e.done === 2) controller.abort(new Error("user pressed ctrl-c"));
      },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DocumentIngestError);
    expect(error.code).toBe("DOC_INGEST_ABORTED");
    expect(error.report.added).toBe(2);
    const rerun = await ingestFolder(index, folder);
    expect(rerun).toMatchObject({ added: 4, unchanged: 2 });
  });

  it("refuses a missing folder, an index built for another folder, and dropping the embedder", async () => {
    const { folder, index } = setup("guards");
    await expect(ingestFolder(index, join(root, "nope"))).rejects.toMatchObject({
      code: "DOC_FOLDER_NOT_FOUND",
    });
    mkdirp(folder);
    writeFileSync(join(folder, "a.txt"), "Some text.");
    await ingestFolder(index, folder, { embedder: hashEmbedder(16, "h16") });
    await expect(ingestFolder(index, folder)).rejects.toMatchObject({ code: "DOC_EMBEDDER_MISMATCH" });
    const other = join(root, "guards", "other");
    mkdirp(other);
    await expect(ingestFolder(index, other)).rejects.toMatchObject({ code: "DOC_INDEX_FOLDER_MISMATCH" });
    // A different embedder re-embeds everything.
    const report = await ingestFolder(index, folder, { embedder: hashEmbedder(32, "h32") });
    expect(report.updated).toBe(1);
    expect(stats(index)).toMatchObject({ embedder: "h32", dimensions: 32, vectors: 1 });
  });
});

function mkdirp(path: string) {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
}
