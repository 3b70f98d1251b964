/**
 * A witness's own key: an Ed25519 signer key in the signed-note text format
 * (`PRIVATE+KEY+<name>+<key ID>+<base64(0x04 || seed)>`, mode 0600), and its cosignature
 * verifier key (`<name>+<key ID>+<base64(0x04 || public key)>`) for logs and auditors.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { AuditKeyError } from "../audit-errors.js";
import {
  formatSignerKey,
  isValidKeyName,
  type NoteSigner,
  noteSigner,
  parseSignerKey,
  SIG_COSIGNATURE_V1,
} from "../signed-note.js";

export function generateWitnessKey(
  path: string,
  name: string,
  options: { overwrite?: boolean } = {},
): { path: string; vkey: string } {
  if (!isValidKeyName(name)) {
    throw new AuditKeyError("invalid", `Invalid witness name ${JSON.stringify(name)}.`, {
      hint: "Use a schema-less URL without spaces or '+', e.g. witness.example.com/w1.",
    });
  }
  const { privateKey } = generateKeyPairSync("ed25519");
  const signer = noteSigner(name, SIG_COSIGNATURE_V1, privateKey);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${formatSignerKey(name, SIG_COSIGNATURE_V1, privateKey)}\n`, {
      mode: 0o600,
      flag: options.overwrite ? "w" : "wx",
    });
    writeFileSync(`${path}.pub`, `${signer.verifier.vkey}\n`, {
      mode: 0o644,
      flag: options.overwrite ? "w" : "wx",
    });
  } catch (cause) {
    const exists = (cause as NodeJS.ErrnoException).code === "EEXIST";
    throw new AuditKeyError(exists ? "exists" : "unreadable", `Could not write the witness key to ${path}.`, {
      path,
      cause,
      hint: exists
        ? "Keep using it: a witness that changes its key loses the trust logs and auditors placed in it."
        : "Check that the directory is writable.",
    });
  }
  return { path, vkey: signer.verifier.vkey };
}

/** Loads a witness signer key file (type 0x04, or a plain Ed25519 note key used for cosignatures). */
export function loadWitnessSigner(path: string): NoteSigner {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new AuditKeyError("missing", `No witness key at ${path}.`, {
      path,
      cause,
      hint: "Create one with flm witness keygen --name <witness name> --key <path>.",
    });
  }
  const { name, privateKey } = parseSignerKey(text);
  return noteSigner(name, SIG_COSIGNATURE_V1, privateKey);
}
