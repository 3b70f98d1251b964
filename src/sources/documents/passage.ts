import { basename } from "node:path";

/** A search hit: one chunk with what is needed to cite it. */
export interface Passage {
  /** Stable across re-ingests of an unchanged file: `path#ordinal`. */
  id: string;
  /** Path relative to the ingested folder, `/`-separated. */
  source: string;
  title: string;
  page?: number;
  /** Heading path joined with " > ", when the passage sits under headings. */
  heading?: string;
  text: string;
  /** Higher is better. BM25-derived for keyword search, RRF for hybrid; compare within one result list only. */
  score: number;
  /** Character offsets of `text` in the parsed document (page text for PDFs). */
  start: number;
  end: number;
}

/** The label used in citations, e.g. `handbook.pdf p.12` or `policies.md § Leave > Parental leave`. */
export function citationLabel(passage: Pick<Passage, "source" | "page" | "heading">): string {
  const name = basename(passage.source);
  if (passage.page !== undefined) return `${name} p.${passage.page}`;
  if (passage.heading) return `${name} § ${passage.heading}`;
  return name;
}

/** A chunk as both document stores read it back for passages. */
export interface ChunkRow {
  /** A string when the driver returns 64-bit integers as text (pg). */
  id: number | string;
  ordinal: number;
  title: string;
  heading: string;
  text: string;
  page: number | null;
  start: number;
  end: number;
  path: string;
}

/** Passages for ranked chunk ids, in rank order with their scores; ids without a row are skipped. */
export function passagesInRankOrder(
  ranked: ReadonlyArray<{ chunkId: number; score: number }>,
  rows: readonly ChunkRow[],
): Passage[] {
  const byId = new Map(rows.map((row) => [Number(row.id), row]));
  return ranked.flatMap(({ chunkId, score }) => {
    const row = byId.get(chunkId);
    if (!row) return [];
    const passage: Passage = {
      id: `${row.path}#${row.ordinal}`,
      source: row.path,
      title: row.title,
      text: row.text,
      score,
      start: row.start,
      end: row.end,
    };
    if (row.page !== null) passage.page = row.page;
    if (row.heading) passage.heading = row.heading;
    return [passage];
  });
}
