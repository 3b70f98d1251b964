/**
 * The log side: an AuditLog with witnesses sends its checkpoints in the background, stores the
 * cosignatures, keeps appending while a witness is down or hangs, and catches up when it returns.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditLog, type AuditLogOptions } from "../audit-log.js";
import { noteSigner, SIG_COSIGNATURE_V1 } from "../signed-note.js";
import { SqliteAuditStore } from "../sqlite-audit-store.js";
import { TreeHeadSigner } from "../tree-head.js";
import { verifyAudit } from "../verify-audit.js";
import { type RunningWitness, startWitnessServer } from "./witness-server.js";

const logKey = generateKeyPairSync("ed25519").privateKey;
const origin = "example.com/flm-audit-submit";
const logVkey = new TreeHeadSigner(logKey, origin).vkey;
const witnessSigner = noteSigner(
  "witness.example/w2",
  SIG_COSIGNATURE_V1,
  generateKeyPairSync("ed25519").privateKey,
);
const entry = {
  host: "api.example.com",
  model: "m",
  purpose: "plan",
  body: "{}",
  decision: "allowed" as const,
};

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe("AuditLog with witnesses", () => {
  let dir: string;
  let witness: RunningWitness | undefined;
  let errors: unknown[];
  const startWitness = (port = 0) =>
    startWitnessServer({
      signer: witnessSigner,
      dbPath: join(dir, "witness.sqlite"),
      logs: [{ origin, keys: [logVkey] }],
      port,
    });
  const openLog = (url: string, extra: Partial<AuditLogOptions> = {}) =>
    new AuditLog(new SqliteAuditStore(join(dir, "audit.sqlite")), {
      privateKey: logKey,
      origin,
      checkpointEvery: 5,
      witnesses: [{ url, key: witnessSigner.verifier.vkey }],
      onError: (e) => errors.push(e),
      ...extra,
    });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "flm-witness-submit-"));
    errors = [];
  });
  afterEach(async () => {
    await witness?.close();
    witness = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("has every checkpoint co-signed and stores the cosignatures in the log", async () => {
    witness = await startWitness();
    const log = openLog(witness.url);
    for (let i = 0; i < 12; i++) await log.append(entry);
    await log.settled();
    // Checkpoints run in the background, so the first one covers at least 5 records.
    expect(log.witnessStatus()).toMatchObject([{ name: "witness.example/w2", size: expect.any(Number) }]);
    expect(log.witnessStatus()[0].size).toBeGreaterThanOrEqual(5);
    await log.checkpoint();
    await log.settled();
    expect(log.witnessStatus()[0].size).toBe(12);
    const cosigs = await log.store.listCosignatures();
    expect(cosigs.length).toBeGreaterThanOrEqual(2);
    expect(cosigs[0]).toMatchObject({
      witness: "witness.example/w2",
      line: expect.stringMatching(/^\u2014 witness\.example\/w2 /),
    });
    const report = await verifyAudit(log.store, {
      publicKey: logVkey,
      witnesses: [
        { url: witness.url, key: witnessSigner.verifier.vkey },
        { key: witnessSigner.verifier.vkey },
      ],
    });
    expect(report).toMatchObject({ ok: true, records: 12 });
    expect(report.witnesses.map((w) => [w.source, w.size])).toEqual([
      ["witness", 12],
      ["stored", 12],
    ]);
    expect(errors).toEqual([]);
    await log.close();
  });

  it("keeps appending while the witness is down, reports the gap, and catches up when it is back", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const log = openLog(url);
    const t0 = performance.now();
    for (let i = 0; i < 12; i++) await log.append(entry);
    const appendMs = performance.now() - t0;
    await log.settled();
    expect(appendMs).toBeLessThan(5000);
    expect(await log.store.count()).toBe(12);
    expect(log.witnessStatus()[0].lastError).toMatchObject({ code: "AUDIT_WITNESS_FAILED" });
    expect(errors.length).toBeGreaterThan(0);
    // The auditor asking that witness gets a clear failure; the stored cosignatures show none.
    const down = await verifyAudit(log.store, {
      publicKey: logVkey,
      witnesses: [{ url, key: witnessSigner.verifier.vkey }],
    });
    expect(down).toMatchObject({ ok: false, problem: "witness-unreachable" });
    const stored = await verifyAudit(log.store, {
      publicKey: logVkey,
      witnesses: [{ key: witnessSigner.verifier.vkey }],
    });
    expect(stored).toMatchObject({ ok: false, problem: "not-witnessed" });

    witness = await startWitness(port);
    await log.checkpoint(); // a new checkpoint (or the retry timer) reaches the witness now
    await log.settled();
    expect(log.witnessStatus()[0]).toMatchObject({ size: 12, lastError: undefined });
    for (let i = 0; i < 3; i++) await log.append(entry);
    const gap = await verifyAudit(log.store, {
      publicKey: logVkey,
      witnesses: [{ url, key: witnessSigner.verifier.vkey }],
    });
    expect(gap.ok).toBe(true);
    expect(gap.warnings.join(" ")).toMatch(/records 13\.\.15 are not co-signed yet/);
    await log.close();
  });

  it("never waits for a witness that accepts connections but never answers", async () => {
    const hanging: Server = createServer(() => {});
    await new Promise<void>((r) => hanging.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const log = openLog(url, { closeGraceMs: 200 });
    try {
      const t0 = performance.now();
      for (let i = 0; i < 11; i++) await log.append(entry);
      expect(performance.now() - t0).toBeLessThan(3000);
      expect((await log.store.listTreeHeads()).length).toBeGreaterThanOrEqual(1);
      const t1 = performance.now();
      await log.close();
      expect(performance.now() - t1).toBeLessThan(3000);
    } finally {
      hanging.closeAllConnections();
      await new Promise((r) => hanging.close(r));
    }
  });

  it("a restarted writer resumes from the cosignatures it stored (no duplicate submission)", async () => {
    witness = await startWitness();
    const first = openLog(witness.url);
    for (let i = 0; i < 5; i++) await first.append(entry);
    await first.close();
    const requests: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      requests.push(String(input));
      return fetch(input, init);
    };
    const second = openLog(witness.url, { fetch: countingFetch });
    await second.settled();
    expect(requests).toEqual([]);
    expect(second.witnessStatus()[0].size).toBe(5);
    for (let i = 0; i < 5; i++) await second.append(entry);
    await second.settled();
    expect(requests).toHaveLength(1);
    expect(second.witnessStatus()[0].size).toBe(10);
    await second.close();
  });
});
