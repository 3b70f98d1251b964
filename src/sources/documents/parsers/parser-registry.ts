import { extname } from "node:path";
import { htmlParser } from "./html-parser.js";
import { markdownParser } from "./markdown-parser.js";
import type { DocumentParser, DocumentType } from "./parsed-document.js";
import { pdfParser } from "./pdf-parser.js";
import { textParser } from "./text-parser.js";

export const defaultParsers: readonly DocumentParser[] = [markdownParser, textParser, htmlParser, pdfParser];

/** The parser for a file name by extension, or undefined when the type is not supported. */
export function parserFor(
  path: string,
  parsers: readonly DocumentParser[] = defaultParsers,
): DocumentParser | undefined {
  const ext = extname(path).slice(1).toLowerCase();
  return parsers.find((parser) => parser.extensions.includes(ext));
}

/** Accepts a type name or an extension (`pdf`, `md`, `markdown`, `.txt`) as used in search filters. */
export function normaliseType(value: string): DocumentType | undefined {
  const key = value.trim().replace(/^\./, "").toLowerCase();
  for (const parser of defaultParsers) {
    if (parser.type === key || parser.extensions.includes(key)) return parser.type;
  }
  return undefined;
}
