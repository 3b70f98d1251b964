import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  cosignatureTime,
  formatSignerKey,
  isVerifierKey,
  noteSigner,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  SIG_COSIGNATURE_V1,
  SIG_ED25519,
  signNote,
  verifiedSignatures,
} from "./signed-note.js";

// The reference key and note of golang.org/x/mod/sumdb/note.
const VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const SIG =
  "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

describe("C2SP signed notes", () => {
  it("reproduces the Go reference note byte for byte and verifies it", () => {
    const { name, type, privateKey } = parseSignerKey(SKEY);
    expect([name, type]).toEqual(["PeterNeumann", SIG_ED25519]);
    const signer = noteSigner(name, type, privateKey);
    expect(signer.verifier.vkey).toBe(VKEY);
    expect(formatSignerKey(name, type, privateKey)).toBe(SKEY);
    const note = signNote(TEXT, [signer]);
    expect(note).toBe(`${TEXT}\n${SIG}`);
    const parsed = parseNote(note);
    expect(parsed.text).toBe(TEXT);
    expect(verifiedSignatures(parsed, [parseVerifierKey(VKEY)]).map((s) => s.name)).toEqual(["PeterNeumann"]);
  });

  it("rejects an altered text, ignores unknown keys, and refuses mangled verifier keys", () => {
    const altered = parseNote(`${TEXT.replace("cryptography", "cryptographY")}\n${SIG}`);
    expect(() => verifiedSignatures(altered, [parseVerifierKey(VKEY)])).toThrow(/does not verify/);
    const other = noteSigner("other.example/key", SIG_ED25519, generateKeyPairSync("ed25519").privateKey);
    expect(verifiedSignatures(parseNote(`${TEXT}\n${SIG}`), [other.verifier])).toEqual([]);
    for (const bad of [
      VKEY.replace("c74f20a3", "c74f20a4"),
      VKEY.slice(0, -1),
      "PeterNeumann+c74f20a3",
      `${VKEY}BADKEY==`,
      VKEY.replace("+ARpc", "+ZRpc"),
    ]) {
      expect(isVerifierKey(bad), bad).toBe(false);
      expect(() => parseVerifierKey(bad)).toThrow(expect.objectContaining({ code: "AUDIT_KEY_INVALID" }));
    }
  });

  it("enforces the note format", () => {
    expect(() => parseNote(TEXT)).toThrow(/blank line/);
    expect(() => parseNote(`${TEXT}\n\u2014 bad`)).toThrow(/newline/);
    expect(() => parseNote(`${TEXT}\n\u2014 with space x AAAA\n`)).toThrow(/Malformed/);
    expect(() => signNote("no newline", [])).toThrow(/ends with a newline/);
    expect(() => signNote("tab\there\n", [])).toThrow(/control characters/);
  });

  it("signs and verifies timestamped cosignatures (tlog-cosignature v1, type 0x04)", () => {
    const key = generateKeyPairSync("ed25519").privateKey;
    const witness = noteSigner("witness.example/w1", SIG_COSIGNATURE_V1, key);
    expect(witness.verifier.vkey).toMatch(/^witness\.example\/w1\+[0-9a-f]{8}\+B/);
    const at = new Date("2026-03-01T12:00:00Z");
    const cp = "example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    const note = parseNote(signNote(cp, [witness], at));
    const [sig] = verifiedSignatures(note, [parseVerifierKey(witness.verifier.vkey)]);
    expect(cosignatureTime(sig.signature)?.toISOString()).toBe("2026-03-01T12:00:00.000Z");
    // The same key as a plain Ed25519 note key has another key ID: the signature is not mistaken for it.
    const plain = noteSigner("witness.example/w1", SIG_ED25519, key).verifier;
    expect(plain.keyId).not.toBe(witness.keyId);
    expect(verifiedSignatures(note, [plain])).toEqual([]);
    // A changed timestamp invalidates the cosignature.
    const forged = Buffer.from(sig.signature);
    forged.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 1000) + 3600));
    expect(witness.verifier.verify(note.text, forged)).toBe(false);
  });
});
