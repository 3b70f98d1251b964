import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join, relative, resolve, sep } from "node:path";
import { type ChunkOptions, chunkDocument } from "./chunker.js";
import { DocumentError, type DocumentErrorCode } from "./document-errors.js";
import type { DocumentStore, StoredDocument } from "./document-store.js";
import type { Embedder } from "./embedders/embedder.js";
import type { DocumentParser } from "./parsers/parsed-document.js";
import { defaultParsers, parserFor } from "./parsers/parser-registry.js";
import { normalise } from "./vector-math.js";
import { resolveStore } from "./open-document-store.js";

export type IngestStatus = "added" | "updated" | "unchanged" | "failed";

export type IngestProgress =
  | { phase: "scan"; files: number; bytes: number }
  | {
      phase: "file";
      path: string;
      status: IngestStatus;
      done: number;
      total: number;
      bytesDone: number;
      bytesTotal: number;
    }
  | { phase: "remove"; path: string };

export interface IngestOptions extends ChunkOptions {
  /** Computes vectors for hybrid search. Must be the same embedder at search time. */
  embedder?: Embedder;
  onProgress?: (event: IngestProgress) => void;
  signal?: AbortSignal;
  /** Files larger than this fail with DOC_TOO_LARGE. Default 50 MB. */
  maxFileBytes?: number;
  /** Replace or extend the format parsers (default: Markdown, text, HTML, PDF). */
  parsers?: readonly DocumentParser[];
  /** One-line notices, e.g. which vector backend a PostgreSQL index uses. */
  onNotice?: (line: string) => void;
}

export interface IngestFailure {
  /** Relative to the folder. */
  path: string;
  code: DocumentErrorCode | string;
  message: string;
}

export interface IngestReport {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Files ignored because their extension has no parser. */
  skipped: number;
  failed: IngestFailure[];
  /** Chunks written by this run. */
  chunks: number;
  /** Bytes of files read and parsed by this run. */
  bytes: number;
  ms: number;
}

/** Thrown when an ingest stops early (aborted, or the embedder failed); carries the partial report. */
export class DocumentIngestError extends DocumentError {
  static override readonly marker: string = "federated-lm.DocumentIngestError";
  readonly report: IngestReport;
  constructor(
    code: DocumentErrorCode,
    message: string,
    report: IngestReport,
    options: { cause?: unknown; hint?: string },
  ) {
    super(code, message, options);
    this.report = report;
  }
}

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

/**
 * Brings the index at `indexPath` in line with `folder`: new files added, changed ones
 * replaced (each in one transaction), deleted ones removed, unchanged ones (same size and
 * mtime, or same sha256) skipped. A file that fails to parse is reported in `failed` and its
 * previously indexed version, if any, stays searchable. Safe to interrupt and re-run.
 */
export async function ingestFolder(
  indexPath: string | DocumentStore,
  folder: string,
  options: IngestOptions = {},
): Promise<IngestReport> {
  const started = performance.now();
  const root = resolve(folder);
  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) {
    throw new DocumentError("DOC_FOLDER_NOT_FOUND", `${folder} is not a folder.`, {
      hint: "Pass the folder that holds your documents.",
    });
  }
  const parsers = options.parsers ?? defaultParsers;
  const report: IngestReport = {
    added: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    skipped: 0,
    failed: [],
    chunks: 0,
    bytes: 0,
    ms: 0,
  };
  const { store: index, owned } = await resolveStore(indexPath, { create: true, onNotice: options.onNotice });
  try {
    const storedRoot = await index.getMeta("root");
    if (storedRoot && storedRoot !== root) {
      throw new DocumentError(
        "DOC_INDEX_FOLDER_MISMATCH",
        `${index.path} indexes ${storedRoot}, not ${root}.`,
        {
          hint: "Use one index file per folder (or delete the index to rebuild it for this folder).",
        },
      );
    }
    await index.setMeta("root", root);
    const embedderId = await prepareEmbedder(index, options.embedder);

    const { files, skipped } = await listFiles(root, parsers);
    report.skipped = skipped;
    const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
    options.onProgress?.({ phase: "scan", files: files.length, bytes: bytesTotal });

    const stored = await index.documents();
    let bytesDone = 0;
    for (const [i, file] of files.entries()) {
      if (options.signal?.aborted)
        throw stopped(report, started, "DOC_INGEST_ABORTED", options.signal.reason);
      let status: IngestStatus;
      try {
        status = await ingestFile(index, file, stored.get(file.path), embedderId, options, parsers, report);
      } catch (error) {
        if (options.signal?.aborted)
          throw stopped(report, started, "DOC_INGEST_ABORTED", options.signal.reason);
        if (error instanceof EmbedFailure) throw stopped(report, started, "DOC_EMBEDDER_FAILED", error.cause);
        status = "failed";
        report.failed.push({
          path: file.path,
          code: DocumentError.isInstance(error) ? error.code : "DOC_PARSE_FAILED",
          message: DocumentError.isInstance(error)
            ? error.message
            : `${file.path}: ${(error as Error)?.message ?? error}`,
        });
      }
      if (status !== "failed") report[status]++;
      bytesDone += file.size;
      options.onProgress?.({
        phase: "file",
        path: file.path,
        status,
        done: i + 1,
        total: files.length,
        bytesDone,
        bytesTotal,
      });
    }

    const present = new Set(files.map((file) => file.path));
    for (const path of stored.keys()) {
      if (present.has(path)) continue;
      await index.removeDocument(path);
      report.removed++;
      options.onProgress?.({ phase: "remove", path });
    }
    report.ms = Math.round(performance.now() - started);
    return report;
  } finally {
    if (owned) await index.close();
  }
}

interface FileEntry {
  path: string;
  absolute: string;
  size: number;
  mtimeMs: number;
}

class EmbedFailure extends Error {}

async function ingestFile(
  index: DocumentStore,
  file: FileEntry,
  previous: StoredDocument | undefined,
  embedderId: string | undefined,
  options: IngestOptions,
  parsers: readonly DocumentParser[],
  report: IngestReport,
): Promise<IngestStatus> {
  const sameEmbedder = (previous?.embedder ?? undefined) === embedderId;
  if (previous && sameEmbedder && previous.size === file.size && previous.mtimeMs === file.mtimeMs)
    return "unchanged";
  if (file.size > (options.maxFileBytes ?? DEFAULT_MAX_BYTES)) {
    throw new DocumentError(
      "DOC_TOO_LARGE",
      `${file.path} is ${(file.size / 1e6).toFixed(1)} MB, over the limit.`,
      {
        path: file.path,
        hint: "Split it, or raise maxFileBytes.",
      },
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file.absolute);
  } catch (cause) {
    throw new DocumentError("DOC_READ_FAILED", `${file.path} cannot be read.`, {
      path: file.path,
      cause,
      hint: "Check the file's permissions.",
    });
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (previous && sameEmbedder && previous.sha256 === sha256) {
    await index.touchDocument(file.path, file.mtimeMs, bytes.length);
    return "unchanged";
  }
  report.bytes += bytes.length;
  const parser = parserFor(file.path, parsers)!;
  const parsed = await parser.parse(bytes, file.path);
  const chunks = chunkDocument(parsed, options);
  if (chunks.length === 0) {
    throw new DocumentError("DOC_EMPTY", `${file.path} has no text to index.`, {
      path: file.path,
      hint: "Add content or remove the file.",
    });
  }
  const title = parsed.title?.trim() || basename(file.path, extname(file.path));
  let vectors: Float32Array[] | undefined;
  if (options.embedder) {
    vectors = await embedChunks(index, options.embedder, title, chunks, options.signal);
  }
  await index.replaceDocument(
    {
      path: file.path,
      type: parsed.type,
      title,
      sha256,
      size: bytes.length,
      mtimeMs: file.mtimeMs,
      embedder: embedderId,
    },
    chunks,
    vectors,
  );
  report.chunks += chunks.length;
  return previous ? "updated" : "added";
}

async function embedChunks(
  index: DocumentStore,
  embedder: Embedder,
  title: string,
  chunks: readonly { text: string; headingPath: string[] }[],
  signal: AbortSignal | undefined,
): Promise<Float32Array[]> {
  // Title and headings give a chunk context it often lacks on its own ("It is 30 days.").
  const inputs = chunks.map(
    (chunk) => [title, ...chunk.headingPath].filter(Boolean).join(" > ") + "\n\n" + chunk.text,
  );
  let raw: number[][];
  try {
    raw = await embedder.embed(inputs, signal);
  } catch (error) {
    throw new EmbedFailure("embedder failed", { cause: error });
  }
  if (!Array.isArray(raw) || raw.length !== inputs.length) {
    throw new EmbedFailure("embedder failed", {
      cause: new Error(
        `embedder returned ${Array.isArray(raw) ? raw.length : "no"} vectors for ${inputs.length} texts`,
      ),
    });
  }
  const dims = raw[0].length;
  const stored = await index.getMeta("dimensions");
  if ((stored && Number(stored) !== dims) || raw.some((v) => v.length !== dims)) {
    throw new EmbedFailure("embedder failed", {
      cause: new Error(`embedder returned ${dims}-dimensional vectors, the index holds ${stored}`),
    });
  }
  if (!stored) await index.setMeta("dimensions", String(dims));
  return raw.map(normalise);
}

/** Records the embedder in the index; vectors from a different embedder are dropped (re-embedded). */
async function prepareEmbedder(
  index: DocumentStore,
  embedder: Embedder | undefined,
): Promise<string | undefined> {
  const stored = await index.getMeta("embedder");
  if (!embedder) {
    if (stored) {
      throw new DocumentError("DOC_EMBEDDER_MISMATCH", `${index.path} was built with embedder "${stored}".`, {
        hint: "Pass the same embedder to keep hybrid search working, or delete the index to rebuild it keyword-only.",
      });
    }
    return undefined;
  }
  const id = embedder.id ?? "custom";
  if (stored !== id) {
    if (stored) await index.clearVectors();
    await index.setMeta("embedder", id);
  }
  return id;
}

function stopped(
  report: IngestReport,
  started: number,
  code: DocumentErrorCode,
  cause: unknown,
): DocumentIngestError {
  report.ms = Math.round(performance.now() - started);
  const message =
    code === "DOC_INGEST_ABORTED"
      ? "Ingest was cancelled; files done so far are indexed."
      : `The embedder failed: ${(cause as Error)?.message ?? cause}.`;
  return new DocumentIngestError(code, message, report, {
    cause,
    hint: "Run the ingest again to finish: finished files are skipped, the rest are processed.",
  });
}

/** Supported files under root, sorted; hidden entries and symlinks are not followed. */
async function listFiles(
  root: string,
  parsers: readonly DocumentParser[],
): Promise<{ files: FileEntry[]; skipped: number }> {
  const files: FileEntry[] = [];
  let skipped = 0;
  const walk = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const absolute = join(dir, entry.name);
      if (entry.isDirectory()) await walk(absolute);
      else if (entry.isFile()) {
        if (!parserFor(entry.name, parsers)) {
          skipped++;
          continue;
        }
        const info = await stat(absolute);
        files.push({
          path: relative(root, absolute).split(sep).join("/"),
          absolute,
          size: info.size,
          mtimeMs: info.mtimeMs,
        });
      }
    }
  };
  await walk(root);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}
