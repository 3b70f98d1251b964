import { z } from "zod";
import { defineTool } from "../../tools/define-tool.js";
import type { Tool } from "../../tools/tool.js";
import type { ToolSource } from "../../tools/tool-source.js";
import { DocumentError } from "./document-errors.js";
import type { DocumentStore } from "./document-store.js";
import type { Embedder } from "./embedders/embedder.js";
import { type IngestOptions, type IngestReport, ingestFolder } from "./ingest-folder.js";
import { resolveStore } from "./open-document-store.js";
import { MAX_LIMIT, searchIndex } from "./search-documents.js";
import { citationLabel, type Passage } from "./passage.js";

export interface DocumentSourceOptions {
  /** Source name, shown in traces (`docs:NAME`) and in the tool description. */
  name: string;
  /**
   * The index: a SQLite file path, a `postgres://` URL (`?schema=&language=&vector=`), or an
   * open `DocumentStore` (e.g. a `PgDocumentStore` on PGlite), which the source does not close.
   */
  index: string | DocumentStore;
  /** When given, the folder is ingested (incrementally) before the first search. */
  folder?: string;
  embedder?: Embedder;
  /** Default number of passages per search. Default 5. */
  topK?: number;
  /** Tool name; change it when several document sources are configured. Default `search_documents`. */
  toolName?: string;
  /** What the collection contains, so the planner knows when to search it. */
  description?: string;
}

/** What the tool returns: compact passages for the local model's context. */
export interface DocumentSearchResult {
  passages: (Omit<Passage, "start" | "end"> & {
    /** Label for citations, e.g. `handbook.pdf p.12`. */
    cite: string;
  })[];
}

export interface DocumentSource extends ToolSource {
  /** Runs an incremental ingest of the configured folder now (e.g. from the CLI). */
  ingest(options?: Omit<IngestOptions, "embedder">): Promise<IngestReport>;
}

const TYPES = ["pdf", "markdown", "md", "text", "txt", "html"] as const;

const Input = z
  .object({
    query: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .describe("What to look for, in words (keywords or a question)."),
    filters: z
      .object({
        path: z
          .string()
          .max(500)
          .optional()
          .describe("Path prefix (e.g. 'policies/') or glob (e.g. '**/*.pdf')."),
        type: z.enum(TYPES).optional().describe("Only documents of this type."),
      })
      .strict()
      .optional(),
    limit: z.number().int().min(1).max(MAX_LIMIT).optional().describe("How many passages to return."),
  })
  .strict();

type SearchInput = z.infer<typeof Input>;

/**
 * A ToolSource offering `search_documents` over a local document index. The planner sees only
 * the schema and writes the query; passages are returned to the executor and go to the local
 * model only.
 */
export function createDocumentSource(options: DocumentSourceOptions): DocumentSource {
  let ready: Promise<{ store: DocumentStore; owned: boolean }> | undefined;
  let tool: Tool<SearchInput, DocumentSearchResult> | undefined;

  const ingest = (extra: Omit<IngestOptions, "embedder"> = {}) =>
    ingestFolder(options.index, options.folder!, { ...extra, embedder: options.embedder });

  const open = (): Promise<{ store: DocumentStore; owned: boolean }> => {
    ready ??= (async () => {
      if (options.folder) await ingest();
      return resolveStore(options.index);
    })().catch((error) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };

  const buildTool = () =>
    defineTool<SearchInput, DocumentSearchResult>({
      name: options.toolName ?? "search_documents",
      description:
        `Searches the local document collection "${options.name}"` +
        (options.description ? ` (${options.description})` : "") +
        " and returns the most relevant passages with their source file, page and heading for citation.",
      input: Input,
      source: `docs:${options.name}`,
      run: async (input, context) => {
        if (context.signal.aborted) throw context.signal.reason;
        const { store: index } = await open();
        const passages = await searchIndex(index, input.query, {
          embedder: options.embedder,
          filters: input.filters,
          limit: input.limit ?? options.topK ?? 5,
          signal: context.signal,
        });
        return {
          passages: passages.map(({ id, source, title, page, heading, text, score }) => ({
            cite: citationLabel({ source, page, heading }),
            id,
            source,
            title,
            ...(page !== undefined ? { page } : {}),
            ...(heading ? { heading } : {}),
            text,
            score: Math.round(score * 10_000) / 10_000,
          })),
        };
      },
    });

  return {
    name: options.name,
    async tools() {
      tool ??= buildTool();
      return [tool];
    },
    ingest: async (extra) => {
      if (!options.folder) {
        throw new DocumentError(
          "DOC_FOLDER_NOT_FOUND",
          `Document source "${options.name}" has no folder to ingest.`,
          {
            hint: "Pass `folder` to createDocumentSource, or call ingestFolder directly.",
          },
        );
      }
      return ingest(extra);
    },
    async check() {
      try {
        const stats = await (await open()).store.stats();
        return {
          ok: stats.documents > 0,
          detail: `${stats.documents} documents, ${stats.chunks} chunks${stats.vectors ? `, ${stats.vectors} vectors (${stats.embedder})` : ""}`,
        };
      } catch (error) {
        return { ok: false, detail: (error as Error).message };
      }
    },
    async close() {
      const pending = ready;
      ready = undefined;
      const opened = pending ? await pending.catch(() => undefined) : undefined;
      if (opened?.owned) await opened.store.close();
    },
  };
}
