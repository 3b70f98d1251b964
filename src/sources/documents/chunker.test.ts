import { describe, expect, it } from "vitest";
import { chunkDocument } from "./chunker.js";
import type { ParsedDocument } from "./parsers/parsed-document.js";

const sentence = (i: number) => `Sentence number ${i} talks about topic ${i} in some detail.`;

describe("chunkDocument", () => {
  it("packs whole sentences up to the target with overlap, offsets exact", () => {
    const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join(" ");
    const doc: ParsedDocument = { type: "text", blocks: [{ text, start: 10, headingPath: ["H"] }] };
    const chunks = chunkDocument(doc, { chunkChars: 300, overlapChars: 80 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const [i, chunk] of chunks.entries()) {
      expect(chunk.ordinal).toBe(i);
      expect(chunk.text.length).toBeLessThanOrEqual(300);
      expect(chunk.text).toMatch(/^Sentence number \d+/);
      expect(chunk.text).toMatch(/detail\.$/);
      expect(text.slice(chunk.start - 10, chunk.end - 10)).toBe(chunk.text);
      expect(chunk.headingPath).toEqual(["H"]);
    }
    // Overlap: each chunk starts with the last sentence of the previous one.
    for (let i = 1; i < chunks.length; i++) {
      const lastOfPrevious = chunks[i - 1].text.split(/(?<=\.) /).at(-1)!;
      expect(chunks[i].text.startsWith(lastOfPrevious)).toBe(true);
      expect(chunks[i].start).toBeGreaterThan(chunks[i - 1].start);
    }
    // Every sentence is in some chunk.
    for (let i = 0; i < 40; i++) expect(chunks.some((c) => c.text.includes(sentence(i)))).toBe(true);
  });

  it("never crosses block (heading/page) boundaries and splits an over-long sentence at word breaks", () => {
    const long = Array.from({ length: 120 }, (_, i) => `word${i}`).join(" ");
    const doc: ParsedDocument = {
      type: "pdf",
      blocks: [
        { text: "Short page one.", start: 0, headingPath: [], page: 1 },
        { text: long, start: 0, headingPath: [], page: 2 },
      ],
    };
    const chunks = chunkDocument(doc, { chunkChars: 200, overlapChars: 0 });
    expect(chunks[0]).toMatchObject({ text: "Short page one.", page: 1 });
    const rest = chunks.slice(1);
    expect(rest.every((c) => c.page === 2 && c.text.length <= 200)).toBe(true);
    expect(rest.every((c) => /^word\d+/.test(c.text) && /word\d+$/.test(c.text))).toBe(true);
    expect(rest.map((c) => c.text).join(" ")).toBe(long);
  });
});
