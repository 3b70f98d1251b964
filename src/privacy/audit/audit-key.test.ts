import { generateKeyPairSync, sign, verify } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateAuditKey, loadAuditPrivateKey, loadAuditPublicKey, toPublicKey } from "./audit-key.js";

const NOBODY = 65534;

/** Runs `fn` (synchronous only) with an unprivileged effective uid/gid when the process is root. */
function asUnprivileged<T>(fn: () => T): T {
  if (process.getuid?.() !== 0) return fn();
  process.setegid!(NOBODY);
  process.seteuid!(NOBODY);
  try {
    return fn();
  } finally {
    process.seteuid!(0);
    process.setegid!(0);
  }
}

describe("audit keys", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "flm-audit-key-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes an Ed25519 pair, the private key with mode 0600, and the halves match", () => {
    const path = join(dir, "keys", "audit.pem");
    const out = generateAuditKey(path);
    expect(out).toMatchObject({ privateKeyPath: path, publicKeyPath: `${path}.pub` });
    expect(out.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${path}.pub`, "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const priv = loadAuditPrivateKey(path);
    const pub = loadAuditPublicKey(`${path}.pub`);
    const sig = sign(null, Buffer.from("x"), priv);
    expect(verify(null, Buffer.from("x"), pub, sig)).toBe(true);
    // The private key file also yields the public half.
    expect(loadAuditPublicKey(path).export({ type: "spki", format: "pem" })).toBe(
      pub.export({ type: "spki", format: "pem" }),
    );
  });

  it("refuses to overwrite an existing key unless asked", () => {
    const path = join(dir, "audit.pem");
    const first = generateAuditKey(path);
    expect(() => generateAuditKey(path)).toThrow(expect.objectContaining({ code: "AUDIT_KEY_EXISTS" }));
    expect(generateAuditKey(path, { overwrite: true }).keyId).not.toBe(first.keyId);
  });

  it("says how to create a missing key", () => {
    expect(() => loadAuditPrivateKey(join(dir, "nope.pem"))).toThrow(
      expect.objectContaining({
        code: "AUDIT_KEY_MISSING",
        message: expect.stringContaining("generateAuditKey"),
      }),
    );
  });

  it("reports a key path that cannot be read as a file", () => {
    expect(() => loadAuditPrivateKey(dir)).toThrow(
      expect.objectContaining({ code: "AUDIT_KEY_UNREADABLE", message: expect.stringContaining("EISDIR") }),
    );
  });

  // Root reads files regardless of their mode, and CI runs as root: there the read runs with the
  // effective uid of `nobody` (seteuid, restored right after), so the permission check is real.
  it.skipIf(typeof process.getuid !== "function")("reports an unreadable key", () => {
    const path = join(dir, "audit.pem");
    generateAuditKey(path);
    chmodSync(dir, 0o755);
    chmodSync(path, 0o000);
    const error = asUnprivileged(() => {
      try {
        loadAuditPrivateKey(path);
        return undefined;
      } catch (e) {
        return e;
      }
    });
    expect(error).toMatchObject({
      code: "AUDIT_KEY_UNREADABLE",
      message: expect.stringMatching(/EACCES.*permissions/),
    });
  });

  it("rejects a non-key file, a public key as private key, and a non-Ed25519 key", () => {
    const junk = join(dir, "junk.pem");
    writeFileSync(junk, "hello");
    expect(() => loadAuditPrivateKey(junk)).toThrow(expect.objectContaining({ code: "AUDIT_KEY_INVALID" }));
    const path = join(dir, "audit.pem");
    generateAuditKey(path);
    expect(() => loadAuditPrivateKey(`${path}.pub`)).toThrow(/not at the .pub file/);
    const rsa = join(dir, "rsa.pem");
    writeFileSync(
      rsa,
      generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }),
    );
    expect(() => loadAuditPrivateKey(rsa)).toThrow(/rsa key, not Ed25519/);
    expect(() => toPublicKey("not a pem")).toThrow(expect.objectContaining({ code: "AUDIT_KEY_INVALID" }));
  });
});
