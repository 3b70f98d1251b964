import type { ParsedDocument, TextBlock } from "./parsers/parsed-document.js";

export interface ChunkOptions {
  /** Target chunk size in characters (≈ 4 characters per token for English). Default 1000. */
  chunkChars?: number;
  /** Characters of whole trailing sentences repeated at the start of the next chunk. Default 150. */
  overlapChars?: number;
}

export interface Chunk {
  /** 0-based position of the chunk within its document. */
  ordinal: number;
  text: string;
  headingPath: string[];
  page?: number;
  /** Character offsets into the document's parsed text (see ParsedDocument). */
  start: number;
  end: number;
}

interface Span {
  start: number;
  end: number;
}

/**
 * Splits a parsed document into chunks that never cross a heading or page boundary and never
 * split a sentence, unless a single sentence is longer than the target (then at word breaks).
 */
export function chunkDocument(doc: ParsedDocument, options: ChunkOptions = {}): Chunk[] {
  const target = Math.max(50, options.chunkChars ?? 1000);
  const overlap = Math.max(0, Math.min(options.overlapChars ?? 150, Math.floor(target / 2)));
  const chunks: Chunk[] = [];
  for (const block of doc.blocks) {
    for (const span of packBlock(block, target, overlap)) {
      chunks.push({
        ordinal: chunks.length,
        text: block.text.slice(span.start, span.end),
        headingPath: block.headingPath,
        page: block.page,
        start: block.start + span.start,
        end: block.start + span.end,
      });
    }
  }
  return chunks;
}

function packBlock(block: TextBlock, target: number, overlap: number): Span[] {
  const units = sentenceUnits(block.text, target);
  const spans: Span[] = [];
  let first = 0;
  while (first < units.length) {
    let last = first;
    while (last + 1 < units.length && units[last + 1].end - units[first].start <= target) last++;
    spans.push({ start: units[first].start, end: units[last].end });
    if (last + 1 >= units.length) break;
    // Start the next chunk with the trailing sentences that fit in the overlap budget...
    let next = last + 1;
    while (next - 1 > first && units[last].end - units[next - 1].start <= overlap) next--;
    // ...unless that leaves no room for a new sentence, which would repeat the chunk.
    if (units[last + 1].end - units[next].start > target) next = last + 1;
    first = next;
  }
  return spans;
}

// Sentence ends: terminal punctuation (plus closing quotes/brackets) before whitespace; blank
// lines; a line break before a Markdown block (list item, table row, quote, heading, fence).
// A hard line wrap inside a paragraph is not a boundary. (Intl.Segmenter was the first choice,
// but its cost grows super-linearly with string length: minutes for a 1 MB text file.)
const BOUNDARY =
  /([.!?\u2026\u3002\uff01\uff1f]+["'\u201d\u2019)\]]*)\s+(?=\S)|\n[ \t]*\n\s*|\n(?=[ \t]*(?:[-*+>|#]|\d+[.)]\s|```|~~~))/gu;

/** Sentence spans (trimmed of surrounding whitespace); over-long sentences cut at word breaks. */
function sentenceUnits(text: string, target: number): Span[] {
  const units: Span[] = [];
  const push = (from: number, to: number) => {
    let start = from;
    let end = to;
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    while (end - start > target) {
      const window = text.slice(start, start + target);
      const cut = Math.max(window.lastIndexOf(" "), window.lastIndexOf("\n"));
      const at = cut > target / 2 ? cut : target;
      units.push({ start, end: start + at });
      start += at;
      while (start < end && /\s/.test(text[start])) start++;
    }
    if (end > start) units.push({ start, end });
  };
  let from = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    const at = match.index;
    const next = at + match[0].length;
    // "e.g. the", "approx. five": punctuation followed by a lower-case word does not end a sentence.
    if (match[1] && /\p{Ll}/u.test(text[next] ?? "")) continue;
    push(from, match[1] ? at + match[1].length : at);
    from = next;
  }
  push(from, text.length);
  return units;
}
