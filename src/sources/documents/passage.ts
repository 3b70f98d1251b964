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
