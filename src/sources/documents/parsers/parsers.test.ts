import { describe, expect, it } from "vitest";
import { makePdf } from "../../../../bench/documents-fixtures.js";
import { htmlParser } from "./html-parser.js";
import { markdownParser } from "./markdown-parser.js";
import { pdfParser } from "./pdf-parser.js";
import { textParser } from "./text-parser.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("parsers", () => {
  it("Markdown: ATX and setext headings form heading paths; offsets are file offsets", async () => {
    const source = "Intro line.\n\n# Top\n\nAlpha.\n\n### Deep\n\nBeta.\n\nSecond\n------\n\nGamma.\n";
    const doc = await markdownParser.parse(bytes(source), "a.md");
    expect(doc.title).toBe("Top");
    expect(doc.blocks.map((b) => [b.headingPath, b.text.trim()])).toEqual([
      [[], "Intro line."],
      [["Top"], "Alpha."],
      [["Top", "Deep"], "Beta."],
      [["Top", "Second"], "Gamma."],
    ]);
    for (const block of doc.blocks)
      expect(source.slice(block.start, block.start + block.text.length)).toBe(block.text);
  });

  it("Markdown: front matter title, cleaned heading text", async () => {
    const doc = await markdownParser.parse(
      bytes('---\ntitle: "FM"\n---\n# The `API` [guide](x.md)\n\nText.\n'),
      "b.md",
    );
    expect(doc.title).toBe("FM");
    expect(doc.blocks[0].headingPath).toEqual(["The API guide"]);
  });

  it("text: Windows-1252 fallback and BOM removal", async () => {
    const doc = await textParser.parse(new Uint8Array([0xef, 0xbb, 0xbf, 0x48, 0x69]), "c.txt");
    expect(doc.blocks[0].text).toBe("Hi");
    const legacy = await textParser.parse(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), "d.txt");
    expect(legacy.blocks[0].text).toBe("café");
  });

  it("HTML: entities decoded, scripts dropped, headings nest", async () => {
    const doc = await htmlParser.parse(
      bytes("<h1>T</h1><p>A &amp; B</p><script>x()</script><h2>S</h2><p>C<br>D</p>"),
      "e.html",
    );
    expect(doc.title).toBe("T");
    expect(doc.blocks.map((b) => [b.headingPath, b.text.trim()])).toEqual([
      [["T"], "A & B"],
      [["T", "S"], "C\nD"],
    ]);
  });

  it("PDF: one block per page with page numbers", async () => {
    const pdf = await makePdf([["First page."], ["Known text on page two."]], "T");
    const doc = await pdfParser.parse(pdf, "f.pdf");
    expect(doc.title).toBe("T");
    expect(doc.blocks.map((b) => [b.page, b.text.trim()])).toEqual([
      [1, "First page."],
      [2, "Known text on page two."],
    ]);
  });
});
