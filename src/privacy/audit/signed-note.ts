/**
 * C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 note signatures (type 0x01) and
 * C2SP tlog-cosignature v1 timestamped Ed25519 cosignatures (type 0x04). Key names, key IDs,
 * verifier keys (`<name>+<hex key ID>+<base64(type || public key)>`) and signer keys
 * (`PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>`) follow golang.org/x/mod/sumdb/note,
 * so keys and notes interoperate with the Go transparency-log ecosystem.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { AuditKeyError, AuditNoteError } from "./audit-errors.js";

export const SIG_ED25519 = 0x01;
export const SIG_COSIGNATURE_V1 = 0x04;
export type SignatureType = typeof SIG_ED25519 | typeof SIG_COSIGNATURE_V1;

/** At least 16 must be accepted; more than this is refused as abuse. */
const MAX_SIGNATURES = 100;
const EM_DASH = "\u2014";
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export interface NoteSignature {
  name: string;
  /** Big-endian uint32 key ID. */
  keyId: number;
  /** The signature bytes after the key ID. */
  signature: Buffer;
  /** The whole line, `— name base64\n`. */
  line: string;
}

export interface Note {
  /** The signed text, ending in a newline. */
  text: string;
  signatures: NoteSignature[];
}

export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !/[\u0000-\u001f]/.test(name);
}

export function keyIdOf(name: string, type: number, publicKey: Uint8Array): number {
  const digest = createHash("sha256")
    .update(Buffer.from(`${name}\n`, "utf8"))
    .update(Buffer.from([type]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

const hex8 = (id: number) => id.toString(16).padStart(8, "0");

/** The 32-byte RFC 8032 public key of an Ed25519 KeyObject (either half of the pair). */
export function rawPublicKey(key: KeyObject): Buffer {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  const jwk = pub.export({ format: "jwk" });
  if (jwk.crv !== "Ed25519" || typeof jwk.x !== "string") {
    throw new AuditKeyError("invalid", "Expected an Ed25519 key.", {
      hint: "Signed notes use Ed25519 keys.",
    });
  }
  return Buffer.from(jwk.x, "base64url");
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(raw).toString("base64url") },
    format: "jwk",
  });
}

export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
}

function seedOf(key: KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  if (typeof jwk.d !== "string")
    throw new AuditKeyError("invalid", "Expected an Ed25519 private key.", { hint: "Pass the private key." });
  return Buffer.from(jwk.d, "base64url");
}

/** A verifier: the tuple (name, key ID) selects it, `verify` checks a signature over a note text. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly type: SignatureType;
  readonly publicKey: KeyObject;
  /** `<name>+<hex key ID>+<base64(type || public key)>`. */
  readonly vkey: string;
  verify(text: string, signature: Buffer): boolean;
}

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly verifier: NoteVerifier;
  sign(text: string, now?: Date): Buffer;
}

function cosignedMessage(text: string, timestamp: bigint): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${text}`, "utf8");
}

/** Verifier for `type` over the raw Ed25519 public key. */
export function noteVerifier(name: string, type: SignatureType, raw: Uint8Array): NoteVerifier {
  if (!isValidKeyName(name)) throw badKey(`Invalid key name ${JSON.stringify(name)}.`);
  const publicKey = publicKeyFromRaw(raw);
  const keyId = keyIdOf(name, type, raw);
  const vkey = `${name}+${hex8(keyId)}+${Buffer.concat([Buffer.from([type]), raw]).toString("base64")}`;
  return {
    name,
    keyId,
    type,
    publicKey,
    vkey,
    verify(text, signature) {
      try {
        if (type === SIG_ED25519) {
          return signature.length === 64 && verify(null, Buffer.from(text, "utf8"), publicKey, signature);
        }
        if (signature.length !== 72) return false;
        const ts = signature.readBigUInt64BE(0);
        if (ts > 2n ** 63n - 1n) return false;
        return verify(null, cosignedMessage(text, ts), publicKey, signature.subarray(8));
      } catch {
        return false;
      }
    },
  };
}

export function noteSigner(name: string, type: SignatureType, privateKey: KeyObject): NoteSigner {
  const verifier = noteVerifier(name, type, rawPublicKey(privateKey));
  return {
    name,
    keyId: verifier.keyId,
    verifier,
    sign(text, now = new Date()) {
      if (type === SIG_ED25519) return sign(null, Buffer.from(text, "utf8"), privateKey);
      const ts = BigInt(Math.floor(now.getTime() / 1000));
      const head = Buffer.alloc(8);
      head.writeBigUInt64BE(ts);
      return Buffer.concat([head, sign(null, cosignedMessage(text, ts), privateKey)]);
    },
  };
}

/** The POSIX timestamp of a cosignature v1 signature. */
export function cosignatureTime(signature: Buffer): Date | undefined {
  if (signature.length !== 72) return undefined;
  return new Date(Number(signature.readBigUInt64BE(0)) * 1000);
}

/** Parses `<name>+<hex8>+<base64(type || key)>`; the key ID must match. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const text = vkey.trim();
  const first = text.indexOf("+");
  const second = first < 0 ? -1 : text.indexOf("+", first + 1);
  if (first <= 0 || second < 0) throw badKey("A verifier key has the form <name>+<key ID>+<key>.");
  const name = text.slice(0, first);
  const id = text.slice(first + 1, second);
  const raw = Buffer.from(text.slice(second + 1), "base64");
  if (!/^[0-9a-f]{8}$/.test(id)) throw badKey("The key ID of a verifier key is 8 lowercase hex digits.");
  if (Buffer.from(raw.toString("base64")).toString() !== text.slice(second + 1)) {
    throw badKey("The key part of a verifier key is not canonical base64.");
  }
  const type = raw[0];
  if ((type !== SIG_ED25519 && type !== SIG_COSIGNATURE_V1) || raw.length !== 33) {
    throw badKey(`Unsupported verifier key type 0x${(type ?? 0).toString(16).padStart(2, "0")} or length.`);
  }
  const v = noteVerifier(name, type, raw.subarray(1));
  if (hex8(v.keyId) !== id) throw badKey("The key ID does not match the key (mistyped or altered key).");
  return v;
}

export function isVerifierKey(text: string): boolean {
  try {
    parseVerifierKey(text);
    return true;
  } catch {
    return false;
  }
}

/** Parses `PRIVATE+KEY+<name>+<hex8>+<base64(type || seed)>`. */
export function parseSignerKey(skey: string): { name: string; type: SignatureType; privateKey: KeyObject } {
  const text = skey.trim();
  if (!text.startsWith("PRIVATE+KEY+")) throw badKey("A signer key starts with PRIVATE+KEY+.");
  const rest = text.slice("PRIVATE+KEY+".length);
  const a = rest.indexOf("+");
  const b = a < 0 ? -1 : rest.indexOf("+", a + 1);
  if (a <= 0 || b < 0) throw badKey("A signer key has the form PRIVATE+KEY+<name>+<key ID>+<key>.");
  const name = rest.slice(0, a);
  const raw = Buffer.from(rest.slice(b + 1), "base64");
  const type = raw[0];
  if ((type !== SIG_ED25519 && type !== SIG_COSIGNATURE_V1) || raw.length !== 33) {
    throw badKey("Unsupported signer key type or length.");
  }
  const privateKey = privateKeyFromSeed(raw.subarray(1));
  const id = keyIdOf(name, type, rawPublicKey(privateKey));
  if (hex8(id) !== rest.slice(a + 1, b)) throw badKey("The signer key's ID does not match its key.");
  return { name, type, privateKey };
}

export function formatSignerKey(name: string, type: SignatureType, privateKey: KeyObject): string {
  const id = keyIdOf(name, type, rawPublicKey(privateKey));
  return `PRIVATE+KEY+${name}+${hex8(id)}+${Buffer.concat([Buffer.from([type]), seedOf(privateKey)]).toString("base64")}`;
}

export function signatureLine(name: string, keyId: number, signature: Buffer): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId);
  return `${EM_DASH} ${name} ${Buffer.concat([id, signature]).toString("base64")}\n`;
}

/** Signs `text` (which must end in a newline) with every signer; returns the whole note. */
export function signNote(text: string, signers: NoteSigner[], now?: Date): string {
  checkText(text);
  const lines = signers.map((s) => signatureLine(s.name, s.keyId, s.sign(text, now)));
  return `${text}\n${lines.join("")}`;
}

/** Splits a note into its text and signature lines, enforcing the format (not verifying). */
export function parseNote(note: string): Note {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new AuditNoteError("A signed note needs a blank line between text and signatures.");
  const text = note.slice(0, split + 1);
  checkText(text);
  const sigText = note.slice(split + 2);
  if (!sigText.endsWith("\n")) throw new AuditNoteError("A signed note ends with a newline.");
  const lines = sigText.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES)
    throw new AuditNoteError(`A note with more than ${MAX_SIGNATURES} signatures.`);
  return { text, signatures: lines.map(parseSignatureLine) };
}

/** Parses one `— name base64` line (with or without its newline). */
export function parseSignatureLine(raw: string): NoteSignature {
  const line = raw.endsWith("\n") ? raw.slice(0, -1) : raw;
  const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+=*)$/u.exec(line);
  if (!m || !isValidKeyName(m[1])) throw new AuditNoteError("Malformed signature line in a signed note.");
  const bytes = Buffer.from(m[2], "base64");
  if (bytes.length < 5) throw new AuditNoteError("A note signature is too short.");
  return { name: m[1], keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4), line: `${line}\n` };
}

function checkText(text: string): void {
  if (!text.endsWith("\n")) throw new AuditNoteError("A note text ends with a newline.");
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) {
    throw new AuditNoteError("A note text must not contain control characters other than newline.");
  }
}

/**
 * The signatures on `note` by the given verifiers that verify. Signatures from unknown keys are
 * ignored; a known key's signature that fails makes the whole note invalid (as the spec advises).
 */
export function verifiedSignatures(note: Note, verifiers: NoteVerifier[]): NoteSignature[] {
  const out: NoteSignature[] = [];
  for (const sig of note.signatures) {
    const v = verifiers.find((x) => x.name === sig.name && x.keyId === sig.keyId);
    if (!v) continue;
    if (!v.verify(note.text, sig.signature)) {
      throw new AuditNoteError(`The signature by ${sig.name} does not verify: the note was altered.`);
    }
    out.push(sig);
  }
  return out;
}

function badKey(message: string): AuditKeyError {
  return new AuditKeyError("invalid", message, {
    hint: "Pass a key in the signed-note format, e.g. example.com/log+1a2b3c4d+AbC...= (flm audit vkey prints the log's).",
  });
}
