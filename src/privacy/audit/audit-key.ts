import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { AuditKeyError } from "./audit-errors.js";
import { keyIdOf } from "./legacy-checkpoint.js";

export interface GeneratedAuditKey {
  privateKeyPath: string;
  publicKeyPath: string;
  keyId: string;
}

/**
 * Writes a new Ed25519 key pair: the private key (PKCS#8 PEM, mode 0600) at `path` and the public
 * key (SPKI PEM) at `path + ".pub"`, for auditors. Keep the private key outside the database and
 * its backups, otherwise whoever can rewrite the log can also re-sign it. Refuses to overwrite.
 */
export function generateAuditKey(path: string, options: { overwrite?: boolean } = {}): GeneratedAuditKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const publicKeyPath = `${path}.pub`;
  const flag = options.overwrite ? "w" : "wx";
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag });
    writeFileSync(publicKeyPath, publicKey.export({ type: "spki", format: "pem" }), { mode: 0o644, flag });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "EEXIST") {
      throw new AuditKeyError("exists", `An audit key already exists at ${path}.`, {
        path,
        cause,
        hint: "Keep using it, or pass { overwrite: true } to replace it (older checkpoints then need the old public key).",
      });
    }
    throw new AuditKeyError("unreadable", `Could not write the audit key to ${path}.`, {
      path,
      cause,
      hint: "Check that the directory is writable.",
    });
  }
  return { privateKeyPath: path, publicKeyPath, keyId: keyIdOf(publicKey) };
}

/** Reads the Ed25519 private key used to sign checkpoints. */
export function loadAuditPrivateKey(path: string): KeyObject {
  const pem = readKeyFile(path, "private");
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (cause) {
    throw new AuditKeyError("invalid", `The audit key at ${path} is not a PEM private key.`, {
      path,
      cause,
      hint: "Point keyPath at the private key written by generateAuditKey(), not at the .pub file.",
    });
  }
  return requireEd25519(key, path);
}

/** Reads a public key (or derives it from a private key) from a PEM file, for verification. */
export function loadAuditPublicKey(path: string): KeyObject {
  return toPublicKey(readKeyFile(path, "public"), path);
}

/** Accepts a KeyObject or PEM text of either half of the pair and returns the public key. */
export function toPublicKey(key: KeyObject | string | Buffer, source = "the given key"): KeyObject {
  let pub: KeyObject;
  try {
    pub =
      typeof key === "object" && "type" in key && !Buffer.isBuffer(key)
        ? toPublicFromObject(key)
        : createPublicKey(key);
  } catch (cause) {
    throw new AuditKeyError("invalid", `${source} is not a PEM Ed25519 key.`, {
      cause,
      hint: "Pass the .pub file written by generateAuditKey() (PEM, starting with -----BEGIN PUBLIC KEY-----).",
    });
  }
  return requireEd25519(pub, source);
}

function toPublicFromObject(key: KeyObject): KeyObject {
  return key.type === "private" ? createPublicKey(key) : key;
}

function readKeyFile(path: string, which: "private" | "public"): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new AuditKeyError("missing", `No audit ${which} key at ${path}.`, {
        path,
        cause,
        hint:
          which === "private"
            ? "Create one with generateAuditKey(path) (or `flm audit keygen`) and keep it outside the database."
            : "Use the .pub file written next to the private key by generateAuditKey().",
      });
    }
    throw new AuditKeyError(
      "unreadable",
      `Cannot read the audit ${which} key at ${path} (${code ?? "error"}).`,
      {
        path,
        cause,
        hint: "Check the file permissions: the process running flm must be able to read it.",
      },
    );
  }
}

function requireEd25519(key: KeyObject, source: string): KeyObject {
  if (key.asymmetricKeyType !== "ed25519") {
    throw new AuditKeyError(
      "invalid",
      `${source} is a ${key.asymmetricKeyType ?? "symmetric"} key, not Ed25519.`,
      {
        hint: "Generate an Ed25519 key with generateAuditKey(path).",
      },
    );
  }
  return key;
}
