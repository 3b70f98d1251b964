/**
 * Tree heads: the audit log's checkpoints since witnesses. Each is a C2SP tlog-checkpoint (origin,
 * size, RFC 6962 root over the records' chain hashes) signed as a C2SP note with the log's Ed25519
 * key, stored with the frontier that lets the next one be computed without re-reading old records.
 */
import { createHash, type KeyObject } from "node:crypto";
import { AuditNoteError } from "./audit-errors.js";
import type { Frontier } from "./merkle.js";
import {
  type Note,
  type NoteSigner,
  type NoteVerifier,
  noteSigner,
  noteVerifier,
  parseNote,
  rawPublicKey,
  SIG_ED25519,
  signNote,
} from "./signed-note.js";
import { type CheckpointBody, formatCheckpoint, parseCheckpoint } from "./tlog-checkpoint.js";

export interface TreeHead {
  size: number;
  /** Base64 RFC 6962 root hash. */
  rootHash: string;
  /** The signed checkpoint note (checkpoint text, blank line, the log's signature line). */
  note: string;
  /** Serialized `Frontier` at `size` (a writer's cache, never trusted by verification). */
  frontier: string;
  /** The replica that signed it. */
  replica?: string;
  /** When it was signed (ISO 8601). */
  at: string;
}

export interface StoredTreeHead extends TreeHead {
  /** Storage id (ascending = newer). */
  id: number;
}

/** A witness cosignature received for a tree head, as stored in the log's database. */
export interface StoredCosignature {
  treeHeadId: number;
  /** The witness key name. */
  witness: string;
  /** 8 hex digits. */
  keyId: string;
  /** The note signature line, `— <name> <base64>\n`. */
  line: string;
  /** The cosignature's timestamp (ISO 8601). */
  at: string;
}

/**
 * A log identity derived from its key, for logs configured without an origin: stable as long as the
 * key is, and distinct per key so two deployments never collide at a shared witness.
 */
export function defaultOrigin(key: KeyObject): string {
  return `flm-audit/${createHash("sha256").update(rawPublicKey(key)).digest("hex").slice(0, 16)}`;
}

/** Signs tree heads for one log identity. */
export class TreeHeadSigner {
  readonly origin: string;
  readonly signer: NoteSigner;

  constructor(privateKey: KeyObject, origin = defaultOrigin(privateKey)) {
    this.origin = origin;
    // The log's key name matches the origin line, as tlog-checkpoint recommends.
    this.signer = noteSigner(origin, SIG_ED25519, privateKey);
  }

  /** `<origin>+<key ID>+<key>`: what witnesses and auditors configure for this log. */
  get vkey(): string {
    return this.signer.verifier.vkey;
  }

  sign(frontier: Frontier, replica: string | undefined, at = new Date()): TreeHead {
    const rootHash = frontier.root();
    const note = signNote(formatCheckpoint({ origin: this.origin, size: frontier.size, rootHash }), [
      this.signer,
    ]);
    const head: TreeHead = {
      size: frontier.size,
      rootHash: rootHash.toString("base64"),
      note,
      frontier: frontier.serialize(),
      at: at.toISOString(),
    };
    if (replica !== undefined) head.replica = replica;
    return head;
  }
}

/** The log verifier for a public key (PEM/KeyObject) under `origin`. */
export function logVerifier(publicKey: KeyObject, origin: string): NoteVerifier {
  return noteVerifier(origin, SIG_ED25519, rawPublicKey(publicKey));
}

export interface OpenedTreeHead {
  note: Note;
  checkpoint: CheckpointBody;
}

/** Parses a stored tree head's note and checks that its columns say what its signed text says. */
export function openTreeHead(head: TreeHead): OpenedTreeHead {
  const note = parseNote(head.note);
  const checkpoint = parseCheckpoint(note.text);
  if (checkpoint.size !== head.size || checkpoint.rootHash.toString("base64") !== head.rootHash) {
    throw new AuditNoteError(
      `Tree head columns (size ${head.size}) differ from its signed checkpoint (size ${checkpoint.size}).`,
    );
  }
  return { note, checkpoint };
}
