import { configPath } from "../../config/load-config.js";
import {
  citationLabel,
  ingestFolder,
  isPostgresUrl,
  searchDocuments,
} from "../../sources/documents/index.js";
import { type CliIO, progressBar } from "../cli-io.js";
import { UsageError } from "../exit-codes.js";
import { type GlobalOptions, openConfig } from "../open-runtime.js";

/** The index: --index, else the first `documents` source in the config. */
async function indexPath(options: { index?: string }, globals: GlobalOptions, io: CliIO): Promise<string> {
  if (options.index) return options.index;
  const config = await openConfig(globals, io);
  const source = config.tools.find((t) => t.kind === "documents");
  if (source?.kind !== "documents") {
    throw new UsageError(
      "No document index given.",
      'Pass --index <file.sqlite> or add { "kind": "documents", "name": "docs", "index": "docs.sqlite" } to tools.',
    );
  }
  return isPostgresUrl(source.index) ? source.index : configPath(config, source.index);
}

/** Prints the report (JSON) on stdout and each failed file on stderr; 1 when any file failed, else 0. */
export async function docsIngestCommand(
  folder: string,
  options: { index?: string },
  globals: GlobalOptions,
  io: CliIO,
): Promise<number> {
  const index = await indexPath(options, globals, io);
  const bar = progressBar(io, "ingesting", { items: "files" });
  const report = await ingestFolder(index, folder, {
    onNotice: (line) => io.info(line),
    onProgress: (p) => {
      if (p.phase === "file") bar.update(p.done, p.total);
    },
  });
  bar.done();
  io.print(JSON.stringify(report, null, 2));
  // A bad file must not go unnoticed in scripts, but it does not undo the rest of the ingest.
  for (const f of report.failed) io.info(`failed  ${f.path}: ${f.code}: ${f.message}`);
  if (report.failed.length > 0) {
    io.info(`${report.failed.length} file(s) could not be indexed; the other files are searchable.`);
    return 1;
  }
  return 0;
}

export async function docsSearchCommand(
  query: string,
  options: { index?: string; limit?: string },
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const index = await indexPath(options, globals, io);
  const passages = await searchDocuments(index, query, { limit: options.limit ? Number(options.limit) : 5 });
  for (const p of passages) {
    io.print(`${p.id}  [${citationLabel(p)}]  (score ${p.score.toFixed(3)})`);
    io.print(`  ${p.text.slice(0, 300).replace(/\n/g, " ")}`);
  }
  if (passages.length === 0) io.info("No passages matched.");
}
