import { configPath } from "../../config/load-config.js";
import { ingestFolder, searchDocuments } from "../../sources/documents/index.js";
import { type CliIO, progressBar } from "../cli-io.js";
import { UsageError } from "../exit-codes.js";
import { type GlobalOptions, openConfig } from "../open-runtime.js";

/** The index: --index, else the first `documents` source in the config. */
async function indexPath(options: { index?: string }, globals: GlobalOptions, io: CliIO): Promise<string> {
  if (options.index) return options.index;
  const config = await openConfig(globals, io);
  const source = config.tools.find((t) => t.kind === "documents");
  if (!source || source.kind !== "documents") {
    throw new UsageError(
      "No document index given.",
      'Pass --index <file.sqlite> or add { "kind": "documents", "name": "docs", "index": "docs.sqlite" } to tools.',
    );
  }
  return configPath(config, source.index);
}

export async function docsIngestCommand(
  folder: string,
  options: { index?: string },
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const index = await indexPath(options, globals, io);
  const bar = progressBar(io, "ingesting");
  const report = await ingestFolder(index, folder, {
    onProgress: (p) => {
      const e = p as unknown as { done?: number; total?: number };
      if (typeof e.done === "number") bar.update(e.done, e.total);
    },
  });
  bar.done();
  io.print(JSON.stringify(report, null, 2));
}

export async function docsSearchCommand(
  query: string,
  options: { index?: string; limit?: string },
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const index = await indexPath(options, globals, io);
  const passages = await searchDocuments(index, query, { limit: options.limit ? Number(options.limit) : 5 });
  for (const p of passages as unknown as Record<string, unknown>[]) {
    io.print(`${p.id}  ${p.title ?? p.source ?? ""}  (score ${Number(p.score ?? 0).toFixed(3)})`);
    io.print(
      `  ${String(p.text ?? "")
        .slice(0, 300)
        .replace(/\n/g, " ")}`,
    );
  }
  if (passages.length === 0) io.info("No passages matched.");
}
