import { DocumentError } from "./document-errors.js";
import type { DocumentStore, RankedChunk } from "./document-store.js";
import type { Embedder } from "./embedders/embedder.js";
import type { Passage } from "./passage.js";
import { resolveStore } from "./open-document-store.js";
import { reciprocalRankFusion } from "./rank-fusion.js";
import type { SearchFilters } from "./search-filters.js";
import { normalise } from "./vector-math.js";

export interface SearchOptions {
  /** The embedder the folder was ingested with; enables hybrid search. */
  embedder?: Embedder;
  filters?: SearchFilters;
  /** Passages to return. Default 5, at most 50. */
  limit?: number;
  /** `auto` (default): hybrid when an embedder is given and the index has vectors, else keyword. */
  mode?: "auto" | "keyword" | "hybrid";
  signal?: AbortSignal;
}

export const MAX_LIMIT = 50;

/** Searches an open index. Prefer this over `searchDocuments` for repeated queries (keeps vectors cached). */
export async function searchIndex(
  index: DocumentStore,
  query: string,
  options: SearchOptions = {},
): Promise<Passage[]> {
  if (options.signal?.aborted)
    throw options.signal.reason ?? new DocumentError("DOC_QUERY_INVALID", "Search aborted.");
  if (typeof query !== "string" || !query.trim()) {
    throw new DocumentError("DOC_QUERY_INVALID", "The search query is empty.", {
      hint: "Pass some words to search for.",
    });
  }
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(options.limit ?? 5)));
  const hybrid = await useHybrid(index, options);
  const candidates = hybrid ? Math.max(limit * 4, 40) : limit;
  const keyword = await index.searchKeywords(query, options.filters, candidates);
  if (!hybrid) return index.passages(keyword);

  const [raw] = await options.embedder!.embed([query], options.signal);
  if (options.signal?.aborted) throw options.signal.reason;
  const vector = await index.vectorSearch(normalise(raw ?? []), options.filters, candidates);
  const fused = reciprocalRankFusion([keyword.map((r) => r.chunkId), vector.map((r) => r.chunkId)]);
  const ranked: RankedChunk[] = fused.slice(0, limit).map(({ item, score }) => ({ chunkId: item, score }));
  return index.passages(ranked);
}

/** One-shot search: opens the index, searches, closes it. */
export async function searchDocuments(
  indexPath: string | DocumentStore,
  query: string,
  options: SearchOptions = {},
): Promise<Passage[]> {
  const { store, owned } = await resolveStore(indexPath);
  try {
    return await searchIndex(store, query, options);
  } finally {
    if (owned) await store.close();
  }
}

async function useHybrid(index: DocumentStore, options: SearchOptions): Promise<boolean> {
  const mode = options.mode ?? "auto";
  if (mode === "keyword") return false;
  const stored = await index.getMeta("embedder");
  if (!options.embedder) {
    if (mode === "hybrid") {
      throw new DocumentError("DOC_QUERY_INVALID", "Hybrid search needs an embedder.", {
        hint: "Pass the embedder the folder was ingested with, or use mode 'keyword'.",
      });
    }
    return false;
  }
  if (!stored) {
    if (mode === "hybrid") {
      throw new DocumentError("DOC_EMBEDDER_MISMATCH", `${index.path} has no vectors.`, {
        hint: "Ingest the folder with an embedder first.",
      });
    }
    return false;
  }
  const id = options.embedder.id ?? "custom";
  if (id !== stored) {
    throw new DocumentError(
      "DOC_EMBEDDER_MISMATCH",
      `${index.path} was embedded with "${stored}", not "${id}".`,
      {
        hint: "Search with the same embedder, or re-ingest with the new one.",
      },
    );
  }
  return true;
}
