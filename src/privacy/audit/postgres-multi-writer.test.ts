/**
 * Several writer processes (gateway replicas) on one PostgreSQL chain, with a witness on
 * 127.0.0.1: no fork, no duplicate sequence number, no gap; checkpoints follow the configured
 * cadence across writers and carry the replica that signed them; the whole chain verifies,
 * against the witness too.
 */
import { spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAuditKey, loadAuditPrivateKey } from "./audit-key.js";
import { PostgresAuditStore } from "./postgres-audit-store.js";
import { noteSigner, SIG_COSIGNATURE_V1 } from "./signed-note.js";
import { TreeHeadSigner } from "./tree-head.js";
import { verifyAudit } from "./verify-audit.js";
import { type RunningWitness, startWitnessServer } from "./witness/witness-server.js";

const url = process.env.FLM_TEST_PG_URL;
const WRITER = fileURLToPath(new URL("../../../test/helpers/audit-writer-process.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");
const WRITERS = 4;
const PER_WRITER = 120;
const EVERY = 50;

function runWriter(
  options: Record<string, unknown>,
): Promise<{ appended: number; ms: number; errors: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, WRITER, JSON.stringify(options)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").at(-1)!))
        : reject(new Error(`writer exit ${code}: ${err}`)),
    );
  });
}

describe.skipIf(!url)("several writer processes on one PostgreSQL audit chain", () => {
  const schema = `flm_audit_mw_${process.pid}_${randomBytes(3).toString("hex")}`;
  const origin = `test.example/${schema}`;
  let dir: string;
  let witness: RunningWitness;
  const witnessSigner = noteSigner(
    "witness.test/mw",
    SIG_COSIGNATURE_V1,
    generateKeyPairSync("ed25519").privateKey,
  );
  let keyPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "flm-audit-mw-"));
    keyPath = join(dir, "audit-key.pem");
    generateAuditKey(keyPath);
    const vkey = new TreeHeadSigner(loadAuditPrivateKey(keyPath), origin).vkey;
    witness = await startWitnessServer({
      signer: witnessSigner,
      dbPath: join(dir, "witness.sqlite"),
      logs: [{ origin, keys: [vkey] }],
      port: 0,
    });
  });
  afterAll(async () => {
    await witness?.close();
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${WRITERS} processes append ${WRITERS * PER_WRITER} records concurrently: one gapless chain, one checkpoint per ${EVERY}`, async () => {
    const startAt = Date.now() + 4000;
    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        runWriter({
          url,
          schema,
          keyPath,
          origin,
          replica: `replica-${i + 1}`,
          count: PER_WRITER,
          every: EVERY,
          witness: { url: witness.url, key: witnessSigner.verifier.vkey },
          startAt,
        }),
      ),
    );
    const total = WRITERS * PER_WRITER;
    expect(results.map((r) => r.appended)).toEqual(Array(WRITERS).fill(PER_WRITER));
    // Racing submissions from several replicas are not mistaken for a rolled-back or forked log.
    expect(results.flatMap((r) => r.errors).filter((e) => /rolled back|forked|refused/.test(e))).toEqual([]);

    const store = await PostgresAuditStore.open({ url, schema, readonly: true });
    try {
      const records = await store.list();
      expect(records.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(new Set(records.map((r) => r.replica))).toEqual(
        new Set(Array.from({ length: WRITERS }, (_, i) => `replica-${i + 1}`)),
      );
      // The writers really interleaved.
      const switches = records.filter((r, i) => i > 0 && r.replica !== records[i - 1].replica).length;
      expect(switches).toBeGreaterThan(WRITERS);

      const heads = await store.listTreeHeads();
      const sizes = heads.map((h) => h.size);
      for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1]);
      // Cadence across writers: at most one per EVERY records, plus one at each writer's close.
      expect(heads.length).toBeLessThanOrEqual(Math.floor(total / EVERY) + WRITERS);
      const cadence = heads.filter((h, i) => i === 0 || h.size - heads[i - 1].size >= EVERY);
      expect(cadence.length).toBeGreaterThanOrEqual(heads.length - WRITERS);
      expect(sizes.at(-1)).toBe(total);
      for (const h of heads) expect(h.replica).toMatch(/^replica-\d$/);

      const report = await verifyAudit(store, {
        publicKey: loadAuditPrivateKey(keyPath),
        origin,
        witnesses: [{ url: witness.url, key: witnessSigner.verifier.vkey }],
      });
      expect(report).toMatchObject({ ok: true, records: total, origin });
      expect(report.witnesses[0].size).toBeGreaterThan(0);
      const cosigned = new Set((await store.listCosignatures()).map((c) => c.treeHeadId));
      expect(cosigned.size).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 120_000);
});
