import { decodeText } from "./decode-text.js";
import type { DocumentParser, ParsedDocument } from "./parsed-document.js";

/** Plain text: one block, offsets are the file's own characters; the title is the first short line. */
export const textParser: DocumentParser = {
  type: "text",
  extensions: ["txt", "text"],
  async parse(bytes, path): Promise<ParsedDocument> {
    const text = decodeText(bytes, path);
    const firstLine = text
      .split("\n")
      .map((line) => line.trim())
      .find((line) => line.length > 0);
    const title = firstLine && firstLine.length <= 120 ? firstLine : undefined;
    return { type: "text", title, blocks: [{ text, start: 0, headingPath: [] }] };
  },
};
