/**
 * The signed evidence a log stores about itself: legacy JSON checkpoints and C2SP tree heads,
 * split into those validly signed by the log key and those that are not.
 */
import type { KeyObject } from "node:crypto";
import type { AuditStore } from "./audit-store.js";
import { type StoredCheckpoint, verifyCheckpointSignature } from "./legacy-checkpoint.js";
import {
  type NoteVerifier,
  noteVerifier,
  rawPublicKey,
  SIG_ED25519,
  verifiedSignatures,
} from "./signed-note.js";
import { openTreeHead, type StoredTreeHead } from "./tree-head.js";

export interface LogKey {
  /** For legacy checkpoints and tree heads. */
  publicKey: KeyObject;
  /** When known (a verifier key names it): the origin every tree head must carry. */
  origin?: string;
}

export interface CheckedTreeHead {
  head: StoredTreeHead;
  origin: string;
  /** Key name and ID of the log signature (the first signature line). */
  signedBy?: { name: string; keyId: number };
}

export interface Evidence {
  legacy: StoredCheckpoint[];
  legacyValid: StoredCheckpoint[];
  treeHeads: CheckedTreeHead[];
  /** Tree heads stored, valid or not. */
  treeHeadCount: number;
  /** Tree heads that are malformed, for another origin, or not signed by the key. */
  forged: Array<{ id: number; size: number; why: string }>;
  /** The log's origin, when its tree heads agree on one (or the key names it). */
  origin?: string;
}

export async function loadEvidence(store: AuditStore, key: LogKey | undefined): Promise<Evidence> {
  const [legacy, heads] = await Promise.all([store.listCheckpoints(), store.listTreeHeads()]);
  const legacyValid = key ? legacy.filter((cp) => verifyCheckpointSignature(cp, key.publicKey)) : [];
  const out: Evidence = { legacy, legacyValid, treeHeads: [], treeHeadCount: heads.length, forged: [] };
  for (const cp of legacy) {
    if (key && !legacyValid.includes(cp)) {
      out.forged.push({
        id: cp.id,
        size: cp.size,
        why: `checkpoint #${cp.id} (key ${cp.keyId}) is not signed by the given key`,
      });
    }
  }
  const origins = new Set<string>();
  for (const head of heads) {
    const checked = checkTreeHead(head, key);
    if (typeof checked === "string") out.forged.push({ id: head.id, size: head.size, why: checked });
    else {
      out.treeHeads.push(checked);
      origins.add(checked.origin);
    }
  }
  out.origin = key?.origin ?? (origins.size === 1 ? [...origins][0] : undefined);
  if (!key?.origin && origins.size > 1) {
    for (const t of out.treeHeads.splice(0)) {
      out.forged.push({
        id: t.head.id,
        size: t.head.size,
        why: `tree heads name ${origins.size} different origins`,
      });
    }
  }
  return out;
}

/** The tree head, or why it cannot be trusted. Without a key only its format is checked. */
function checkTreeHead(head: StoredTreeHead, key: LogKey | undefined): CheckedTreeHead | string {
  let opened: ReturnType<typeof openTreeHead>;
  try {
    opened = openTreeHead(head);
  } catch (e) {
    return `checkpoint #${head.id} is malformed (${(e as Error).message})`;
  }
  const { note, checkpoint } = opened;
  const first = note.signatures[0];
  const signedBy = first && { name: first.name, keyId: first.keyId };
  if (!key) return { head, origin: checkpoint.origin, signedBy };
  if (key.origin !== undefined && checkpoint.origin !== key.origin) {
    return `checkpoint #${head.id} is for origin ${checkpoint.origin}, not ${key.origin}`;
  }
  const verifier: NoteVerifier = noteVerifier(checkpoint.origin, SIG_ED25519, rawPublicKey(key.publicKey));
  try {
    if (verifiedSignatures(note, [verifier]).length === 0) {
      return `checkpoint #${head.id} (size ${head.size}) is not signed by the given key`;
    }
  } catch {
    return `checkpoint #${head.id} (size ${head.size}) was altered after signing`;
  }
  return { head, origin: checkpoint.origin, signedBy: { name: verifier.name, keyId: verifier.keyId } };
}
