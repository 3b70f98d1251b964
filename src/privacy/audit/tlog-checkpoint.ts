/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text of a transparency log's
 * Merkle tree head, `<origin>\n<tree size>\n<base64 root hash>\n[extension lines]`.
 */
import { AuditNoteError } from "./audit-errors.js";

export interface CheckpointBody {
  /** Unique identity of the log, e.g. `example.com/flm-audit`. */
  origin: string;
  size: number;
  rootHash: Buffer;
  /** Opaque extension lines (NOT RECOMMENDED by the spec; flm writes none). */
  extensions?: string[];
}

export function formatCheckpoint(cp: CheckpointBody): string {
  if (cp.origin === "" || /\n/.test(cp.origin))
    throw new AuditNoteError("A checkpoint origin is one non-empty line.");
  if (!Number.isSafeInteger(cp.size) || cp.size < 0)
    throw new AuditNoteError(`Invalid tree size ${cp.size}.`);
  if (cp.rootHash.length !== 32) throw new AuditNoteError("A checkpoint root hash is 32 bytes.");
  const ext = (cp.extensions ?? []).map((l) => `${l}\n`).join("");
  return `${cp.origin}\n${cp.size}\n${cp.rootHash.toString("base64")}\n${ext}`;
}

export function parseCheckpoint(text: string): CheckpointBody {
  if (!text.endsWith("\n")) throw new AuditNoteError("A checkpoint ends with a newline.");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3 || lines.some((l) => l === "")) {
    throw new AuditNoteError(
      "A checkpoint has at least three non-empty lines: origin, tree size, root hash.",
    );
  }
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new AuditNoteError(`Invalid checkpoint tree size ${JSON.stringify(sizeText)}.`);
  }
  const rootHash = Buffer.from(rootText, "base64");
  if (rootHash.length !== 32 || rootHash.toString("base64") !== rootText) {
    throw new AuditNoteError("A checkpoint root hash is the base64 of 32 bytes.");
  }
  return { origin, size: Number(sizeText), rootHash, extensions };
}
