import { createHash, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

/** What a checkpoint attests: the chain had `size` records ending in `headHash` at time `at`. */
export interface CheckpointClaim {
  size: number;
  headHash: string;
  at: string;
}

export interface SignedCheckpoint extends CheckpointClaim {
  /** First 16 hex chars of SHA-256 over the signer's public key (SPKI DER); for diagnostics only. */
  keyId: string;
  /** Base64 Ed25519 signature over `checkpointSigningBytes(claim)`. */
  signature: string;
}

/** A checkpoint as read back from the store, with its storage id (ascending = newer). */
export interface StoredCheckpoint extends SignedCheckpoint {
  id: number;
}

/** Domain-separated so a checkpoint signature can never be replayed as another kind of signature. */
export function checkpointSigningBytes(claim: CheckpointClaim): Buffer {
  return Buffer.from(
    `flm-audit-checkpoint-v1\n${canonicalJson({ size: claim.size, headHash: claim.headHash, at: claim.at })}`,
    "utf8",
  );
}

export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

export function signCheckpoint(claim: CheckpointClaim, privateKey: KeyObject): SignedCheckpoint {
  const signature = sign(null, checkpointSigningBytes(claim), privateKey).toString("base64");
  return { size: claim.size, headHash: claim.headHash, at: claim.at, keyId: keyIdOf(privateKey), signature };
}

export function verifyCheckpointSignature(cp: SignedCheckpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, checkpointSigningBytes(cp), publicKey, Buffer.from(cp.signature, "base64"));
  } catch {
    return false;
  }
}

/** Rebuilds a checkpoint from a database row. */
export function checkpointFromRow(row: Record<string, unknown>): StoredCheckpoint {
  return {
    id: Number(row.id),
    size: Number(row.size),
    headHash: String(row.head_hash),
    at: String(row.at),
    keyId: String(row.key_id),
    signature: String(row.signature),
  };
}
