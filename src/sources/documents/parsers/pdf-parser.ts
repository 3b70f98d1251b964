import { DocumentError } from "../document-errors.js";
import { emptyError } from "./decode-text.js";
import type { DocumentParser, ParsedDocument, TextBlock } from "./parsed-document.js";

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let pdfjs: Promise<PdfJs> | undefined;

/**
 * PDF via Mozilla's pdfjs-dist (legacy build, runs on Node 20 without a worker or canvas).
 * One block per page so every chunk can be cited as `file.pdf p.N`. Loaded lazily: pdfjs
 * takes a moment to import and is only needed when a folder contains PDFs.
 */
export const pdfParser: DocumentParser = {
  type: "pdf",
  extensions: ["pdf"],
  async parse(bytes, path): Promise<ParsedDocument> {
    if (bytes.length === 0) throw emptyError(path);
    pdfjs ??= import("pdfjs-dist/legacy/build/pdf.mjs");
    const { getDocument } = await pdfjs;
    // pdfjs takes ownership of (detaches) the buffer it is given: hand it a copy.
    const task = getDocument({
      data: new Uint8Array(bytes),
      verbosity: 0,
      isEvalSupported: false,
      useSystemFonts: false,
      disableFontFace: true,
    });
    try {
      let pdf: Awaited<typeof task.promise>;
      try {
        pdf = await task.promise;
      } catch (error) {
        const name = (error as Error)?.name;
        const reason = name === "PasswordException" ? "is password-protected" : "is not a readable PDF";
        throw new DocumentError("DOC_PDF_INVALID", `${path} ${reason} (${(error as Error)?.message}).`, {
          path,
          cause: error,
          hint:
            name === "PasswordException"
              ? "Remove the password (or export an unprotected copy) to index it."
              : "The file may be truncated or corrupted; re-export or re-download it.",
        });
      }
      const meta = await pdf.getMetadata().catch(() => undefined);
      const info = meta?.info as { Title?: unknown } | undefined;
      const title = typeof info?.Title === "string" && info.Title.trim() ? info.Title.trim() : undefined;
      const blocks: TextBlock[] = [];
      for (let number = 1; number <= pdf.numPages; number++) {
        let text: string;
        try {
          const page = await pdf.getPage(number);
          const content = await page.getTextContent();
          text = content.items
            .map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : ""))
            .join("");
          page.cleanup();
        } catch (error) {
          throw new DocumentError("DOC_PDF_INVALID", `${path}: page ${number} cannot be read.`, {
            path,
            cause: error,
            hint: "The file may be truncated or corrupted; re-export or re-download it.",
          });
        }
        if (text.trim()) blocks.push({ text, start: 0, headingPath: [], page: number });
      }
      if (blocks.length === 0) {
        throw new DocumentError("DOC_PDF_NO_TEXT", `${path} has no extractable text (scanned images?).`, {
          path,
          hint: "Run OCR on it (e.g. ocrmypdf) and re-ingest.",
        });
      }
      return { type: "pdf", title, blocks };
    } finally {
      await task.destroy().catch(() => {});
    }
  },
};
