import { DocumentError } from "../document-errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("windows-1252");

/**
 * Decodes a text-like file, refusing binary content (e.g. an image renamed to `.md`) so junk
 * never lands in the index. Falls back to Windows-1252 for legacy, non-UTF-8 text.
 */
export function decodeText(bytes: Uint8Array, path: string): string {
  if (bytes.length === 0) throw emptyError(path);
  const sample = bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) throw binaryError(path);
    // Control characters other than tab, LF, FF, CR are rare in real text.
    if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 12 && byte !== 13) control++;
  }
  if (control / sample.length > 0.05) throw binaryError(path);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = latin1.decode(bytes);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) throw emptyError(path);
  return text;
}

export function emptyError(path: string): DocumentError {
  return new DocumentError("DOC_EMPTY", `${path} is empty (no text to index).`, {
    path,
    hint: "Add content or remove the file; it is skipped until then.",
  });
}

function binaryError(path: string): DocumentError {
  return new DocumentError("DOC_BINARY", `${path} looks like binary data, not text.`, {
    path,
    hint: "Check the file is really Markdown/text/HTML, or rename it to its real extension.",
  });
}
