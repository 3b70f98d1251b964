/**
 * Shared contract every AuditStore must pass: append, read back, ordering, persistence,
 * append-only triggers, verification and tampering by an attacker with raw database access.
 * Called from each store's test file with a harness that knows the store's SQL dialect.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AuditEntry, AuditLog } from "./audit-log.js";
import { type AuditRecord, computeRecordHash, GENESIS_HASH, sha256Hex } from "./audit-record.js";
import type { AuditStore } from "./audit-store.js";
import { signCheckpoint } from "./legacy-checkpoint.js";
import { currentFrontier } from "./store-tree.js";
import { TreeHeadSigner } from "./tree-head.js";
import { verifyAudit } from "./verify-audit.js";

export interface AuditStoreHarness {
  store: AuditStore;
  /** Qualified table names for raw SQL. */
  tables: { records: string; checkpoints: string; treeHeads: string; cosignatures: string };
  /** Runs raw SQL through the driver as-is (triggers in place). */
  raw(sql: string): Promise<void>;
  /** Runs `fn` with the append-only triggers disabled or dropped, as an attacker could, then restores them. */
  bypassTriggers(fn: () => Promise<void>): Promise<void>;
  /** A second, independent store instance on the same database (a new connection/pool). */
  openAnother(): Promise<AuditStore>;
  cleanup(): Promise<void>;
}

function entry(i: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    host: "api.openai.com",
    model: "gpt-5-mini",
    purpose: i % 5 === 0 ? "repair" : "plan",
    body: JSON.stringify({ messages: [{ role: "user", content: `question ${i} about <PERSON_1>` }] }),
    placeholderCounts: { PERSON: 1, EMAIL: i % 3 },
    decision: "allowed",
    runId: `run-${Math.floor(i / 4)}`,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    ...extra,
  };
}

export function auditStoreContract(name: string, makeHarness: () => Promise<AuditStoreHarness>): void {
  describe(`AuditStore contract: ${name}`, () => {
    let h: AuditStoreHarness;
    let log: AuditLog;
    let key: KeyObject;
    let publicKey: KeyObject;

    beforeAll(() => {
      ({ privateKey: key, publicKey } = generateKeyPairSync("ed25519"));
    });
    beforeEach(async () => {
      h = await makeHarness();
      log = new AuditLog(h.store, { privateKey: key, storeBodies: true });
    });
    afterEach(async () => {
      await h.cleanup();
    });

    async function fill(n: number): Promise<AuditRecord[]> {
      const out: AuditRecord[] = [];
      for (let i = 1; i <= n; i++) out.push(await log.append(entry(i)));
      return out;
    }
    const verify = () => verifyAudit(h.store, { publicKey });
    const legacyCheckpoint = (head: { size: number; headHash: string | undefined }) =>
      signCheckpoint({ size: head.size, headHash: head.headHash!, at: new Date().toISOString() }, key);
    const str = (s: string) => `'${s.replace(/'/g, "''")}'`;

    it("appends gapless, hash-chained records", async () => {
      const recs = await fill(5);
      expect(recs.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(recs[0].prevHash).toBe(GENESIS_HASH);
      for (let i = 1; i < recs.length; i++) expect(recs[i].prevHash).toBe(recs[i - 1].hash);
      for (const r of recs) expect(r.hash).toBe(computeRecordHash(r.prevHash, r.seq, r));
      expect(recs[0].bodySha256).toBe(sha256Hex(String(entry(1).body)));
      expect(await h.store.head()).toEqual({ size: 5, headHash: recs[4].hash });
    });

    it("reads back exactly what was appended, optional fields included", async () => {
      const a = await log.append(entry(1, { reason: "EMAIL from s2", decision: "blocked", userId: "ü-ser" }));
      const b = await log.append(
        entry(2, { runId: undefined, placeholderCounts: {}, body: "naïve 😀 body" }),
      );
      const back = await h.store.list();
      expect(back).toEqual([a, b]);
      expect(back[1]).not.toHaveProperty("runId");
      expect(back[1].body).toBe("naïve 😀 body");
      expect(back[0].reason).toBe("EMAIL from s2");
    });

    it("lists in seq order with afterSeq, limit, since and newestFirst", async () => {
      await fill(8);
      expect((await h.store.list({ afterSeq: 3, limit: 2 })).map((r) => r.seq)).toEqual([4, 5]);
      expect((await h.store.list({ newestFirst: true, limit: 3 })).map((r) => r.seq)).toEqual([8, 7, 6]);
      const since = new Date(Date.UTC(2026, 0, 1, 0, 0, 6)).toISOString();
      expect((await h.store.list({ since })).map((r) => r.seq)).toEqual([6, 7, 8]);
      expect((await log.show({ limit: 3 })).map((r) => r.seq)).toEqual([6, 7, 8]);
      expect((await log.show({ since: new Date(since), limit: 2 })).map((r) => r.seq)).toEqual([7, 8]);
    });

    it("fails an empty log as `empty` unless an empty log is allowed", async () => {
      expect(await h.store.head()).toEqual({ size: 0, headHash: undefined });
      expect(await h.store.count()).toBe(0);
      expect(await verify()).toMatchObject({ ok: false, problem: "empty", records: 0, checkpoints: 0 });
      expect(await verifyAudit(h.store, { publicKey, allowEmpty: true })).toMatchObject({
        ok: true,
        records: 0,
      });
    });

    it("continues the same chain from another connection, concurrently, without forking", async () => {
      await fill(3);
      const other = await h.openAnother();
      try {
        const otherLog = new AuditLog(other);
        await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 ? log : otherLog).append(entry(10 + i))),
        );
        const all = await other.list();
        expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
        expect((await verify()).ok).toBe(true);
      } finally {
        await other.close();
      }
    });

    it("refuses a raw UPDATE and DELETE on records, checkpoints and cosignatures (triggers)", async () => {
      await fill(3);
      const head = await log.checkpoint();
      await h.store.appendCheckpoint(legacyCheckpoint(await h.store.head()));
      await h.store.appendCosignature({
        treeHeadId: head.id,
        witness: "w",
        keyId: "00000000",
        line: "x",
        at: "t",
      });
      await expect(
        h.raw(`UPDATE ${h.tables.records} SET host = 'evil.example' WHERE seq = 2`),
      ).rejects.toThrow(/append-only/);
      await expect(h.raw(`DELETE FROM ${h.tables.records} WHERE seq = 2`)).rejects.toThrow(/append-only/);
      for (const table of [h.tables.checkpoints, h.tables.treeHeads, h.tables.cosignatures]) {
        await expect(h.raw(`UPDATE ${table} SET at = 'x'`)).rejects.toThrow(/append-only/);
        await expect(h.raw(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
      }
      expect((await h.store.list()).map((r) => r.host)).toEqual(Array(3).fill("api.openai.com"));
      expect(await verify()).toMatchObject({ ok: true, records: 3, checkpoints: 2, validCheckpoints: 2 });
    });

    it("stores C2SP checkpoints whose Merkle roots verify, and reads them back", async () => {
      await fill(4);
      const cp1 = await log.checkpoint();
      await fill(2);
      const cp2 = await log.checkpoint();
      await log.append(entry(99));
      expect((await h.store.listTreeHeads()).map((c) => [c.id, c.size])).toEqual([
        [cp1.id, 4],
        [cp2.id, 6],
      ]);
      expect(cp2.note).toMatch(
        new RegExp(`^${log.origin}\\n6\\n[A-Za-z0-9+/]{43}=\\n\\n\u2014 ${log.origin} `),
      );
      expect(await h.store.treeHeadAt(4)).toEqual(cp1);
      expect(await h.store.latestTreeHead()).toEqual(cp2);
      const report = await verify();
      expect(report).toMatchObject({
        ok: true,
        records: 7,
        checkpoints: 2,
        validCheckpoints: 2,
        origin: log.origin,
      });
      expect(report.latestCheckpoint).toMatchObject({ id: cp2.id, size: 6, rootHash: cp2.rootHash });
      expect(report.warnings.join(" ")).toMatch(/1 record\(s\) after the latest checkpoint/);
      // Verifiable with the log's C2SP verifier key alone, too.
      expect(await verifyAudit(h.store, { publicKey: log.vkey! })).toMatchObject({
        ok: true,
        origin: log.origin,
      });
    });

    it("still verifies a log written before tree heads (legacy checkpoints), and continues it", async () => {
      await fill(3);
      await h.store.appendCheckpoint(legacyCheckpoint(await h.store.head()));
      expect(await verify()).toMatchObject({ ok: true, records: 3, checkpoints: 1, validCheckpoints: 1 });
      await fill(2);
      expect((await log.checkpoint()).size).toBe(5);
      expect(await verify()).toMatchObject({ ok: true, records: 5, checkpoints: 2, validCheckpoints: 2 });
      await h.bypassTriggers(() => h.raw(`DELETE FROM ${h.tables.records} WHERE seq >= 3`));
      expect(await verify()).toMatchObject({ ok: false, problem: "truncated", firstBadSeq: 3 });
    });

    it("inserts a tree head only when no other writer covered it (cadence, ordering)", async () => {
      await fill(10);
      const other = await h.openAnother();
      try {
        const signer = new TreeHeadSigner(key);
        const { frontier } = await currentFrontier(h.store);
        const a = await h.store.appendTreeHead(signer.sign(frontier, "a"), { minGap: 5 });
        expect(a).toMatchObject({ size: 10, replica: "a" });
        // Same size from another connection: refused, whatever the gap.
        expect(await other.appendTreeHead(signer.sign(frontier, "b"), { minGap: 1 })).toBeUndefined();
        await fill(3);
        const f13 = (await currentFrontier(other)).frontier;
        expect(await other.appendTreeHead(signer.sign(f13, "b"), { minGap: 5 })).toBeUndefined();
        expect(await other.appendTreeHead(signer.sign(f13, "b"), { minGap: 1 })).toMatchObject({ size: 13 });
        // A timer-driven head is refused while a recent one exists.
        await fill(1);
        const f14 = (await currentFrontier(h.store)).frontier;
        expect(
          await h.store.appendTreeHead(signer.sign(f14, "a"), { minGap: 1, minAgeMs: 60_000 }),
        ).toBeUndefined();
        expect((await h.store.listTreeHeads()).map((t) => [t.size, t.replica])).toEqual([
          [10, "a"],
          [13, "b"],
        ]);
        expect((await verify()).ok).toBe(true);
      } finally {
        await other.close();
      }
    });

    it("finds the cosignature on the largest tree head a witness co-signed", async () => {
      await fill(3);
      const a = await log.checkpoint();
      await fill(2);
      const b = await log.checkpoint();
      const cosig = (id: number, witness: string, at: string) => ({
        treeHeadId: id,
        witness,
        keyId: "0a0b0c0d",
        line: `l${id}`,
        at,
      });
      await h.store.appendCosignature(cosig(b.id, "w1", "t2"));
      await h.store.appendCosignature(cosig(a.id, "w1", "t1"));
      await h.store.appendCosignature(cosig(a.id, "w2", "t3"));
      await h.store.appendCosignature(cosig(a.id, "w2", "t3")); // a duplicate is ignored
      expect(await h.store.latestCosignature("w1", "0a0b0c0d")).toMatchObject({
        treeHeadId: b.id,
        size: 5,
        at: "t2",
      });
      expect(await h.store.latestCosignature("w2", "0a0b0c0d")).toMatchObject({ treeHeadId: a.id, size: 3 });
      expect(await h.store.latestCosignature("w2", "ffffffff")).toBeUndefined();
      expect(await h.store.listCosignatures()).toHaveLength(3);
    });

    it("records the replica in each record (hashed), and reads rows of every seq", async () => {
      const r = await new AuditLog(h.store, { replicaId: "gw-2" }).append(entry(1));
      expect(r.replica).toBe("gw-2");
      const [back] = await h.store.list();
      expect(back.replica).toBe("gw-2");
      expect(computeRecordHash(back.prevHash, back.seq, { ...back, replica: "gw-3" })).not.toBe(back.hash);
      expect(await h.store.hashes(0, 10)).toEqual([{ seq: 1, hash: r.hash }]);
    });

    describe("tampering", () => {
      it("detects an edited field at its seq", async () => {
        await fill(6);
        await log.checkpoint();
        await h.bypassTriggers(() =>
          h.raw(`UPDATE ${h.tables.records} SET host = 'innocent.example' WHERE seq = 3`),
        );
        expect(await h.store.list({ afterSeq: 2, limit: 1 })).toMatchObject([{ host: "innocent.example" }]);
        expect(await verify()).toMatchObject({ ok: false, problem: "edited", firstBadSeq: 3 });
      });

      it("detects edited placeholder counts, then an edited decision", async () => {
        await fill(6);
        await h.bypassTriggers(() =>
          h.raw(`UPDATE ${h.tables.records} SET placeholder_counts = '{"EMAIL":0,"PERSON":0}' WHERE seq = 5`),
        );
        expect(await verify()).toMatchObject({ ok: false, problem: "edited", firstBadSeq: 5 });
        await h.bypassTriggers(() =>
          h.raw(`UPDATE ${h.tables.records} SET decision = 'blocked' WHERE seq = 2`),
        );
        expect(await verify()).toMatchObject({ ok: false, problem: "edited", firstBadSeq: 2 });
      });

      it("detects a record edited and re-hashed (its successor no longer links)", async () => {
        const recs = await fill(6);
        const forged = { ...recs[2], model: "local-only" };
        const newHash = computeRecordHash(forged.prevHash, forged.seq, forged);
        await h.bypassTriggers(() =>
          h.raw(`UPDATE ${h.tables.records} SET model = 'local-only', hash = ${str(newHash)} WHERE seq = 3`),
        );
        expect(await verify()).toMatchObject({ ok: false, problem: "edited", firstBadSeq: 3 });
      });

      it("detects a record deleted in the middle", async () => {
        await fill(8);
        await log.checkpoint();
        await h.bypassTriggers(() => h.raw(`DELETE FROM ${h.tables.records} WHERE seq = 4`));
        expect(await verify()).toMatchObject({ ok: false, problem: "deleted", firstBadSeq: 4 });
      });

      it("detects a deletion hidden by renumbering the later records", async () => {
        await fill(8);
        await h.bypassTriggers(async () => {
          await h.raw(`DELETE FROM ${h.tables.records} WHERE seq = 4`);
          for (let s = 5; s <= 8; s++)
            await h.raw(`UPDATE ${h.tables.records} SET seq = ${s - 1} WHERE seq = ${s}`);
        });
        expect(await verify()).toMatchObject({ ok: false, problem: "deleted", firstBadSeq: 4 });
      });

      it("detects two reordered records", async () => {
        await fill(8);
        await log.checkpoint();
        await h.bypassTriggers(async () => {
          await h.raw(`UPDATE ${h.tables.records} SET seq = -1 WHERE seq = 5`);
          await h.raw(`UPDATE ${h.tables.records} SET seq = 5 WHERE seq = 6`);
          await h.raw(`UPDATE ${h.tables.records} SET seq = 6 WHERE seq = -1`);
        });
        const report = await verify();
        expect(report).toMatchObject({ ok: false, problem: "reordered", firstBadSeq: 5 });
      });

      it("detects the tail truncated after a checkpoint", async () => {
        await fill(10);
        await log.checkpoint();
        await h.bypassTriggers(() => h.raw(`DELETE FROM ${h.tables.records} WHERE seq >= 7`));
        expect(await verify()).toMatchObject({ ok: false, problem: "truncated", firstBadSeq: 7, records: 6 });
      });

      it("detects a wholesale re-hashed rewrite through the checkpoints", async () => {
        const recs = await fill(4);
        await log.checkpoint(); // size 4
        recs.push(...(await fill(6)));
        await log.checkpoint(); // size 10
        // The attacker rewrites record 6 and re-hashes the rest of the chain consistently.
        await h.bypassTriggers(async () => {
          let prev = recs[4].hash;
          for (const r of recs.slice(5)) {
            const changed = r.seq === 6 ? { ...r, host: "other.example" } : r;
            const hash = computeRecordHash(prev, r.seq, changed);
            await h.raw(
              `UPDATE ${h.tables.records} SET host = ${str(changed.host)}, prev_hash = ${str(prev)}, hash = ${str(hash)} WHERE seq = ${r.seq}`,
            );
            prev = hash;
          }
        });
        expect(await verify()).toMatchObject({ ok: false, problem: "checkpoint-mismatch", firstBadSeq: 5 });
      });

      it("rejects a checkpoint signed by another key, and a forged checkpoint row", async () => {
        await fill(5);
        await log.checkpoint();
        const other = generateKeyPairSync("ed25519").privateKey;
        const head = await h.store.head();
        await h.store.appendCheckpoint(
          signCheckpoint({ size: head.size, headHash: head.headHash!, at: new Date().toISOString() }, other),
        );
        const report = await verify();
        expect(report).toMatchObject({
          ok: false,
          problem: "bad-signature",
          checkpoints: 2,
          validCheckpoints: 1,
        });
        expect(report.firstBadSeq).toBeUndefined();
        // A C2SP checkpoint under the log's origin but signed by another key.
        await log.append(entry(6));
        const { frontier } = await currentFrontier(h.store);
        await h.store.appendTreeHead(new TreeHeadSigner(other, log.origin).sign(frontier, "x"), {
          minGap: 1,
        });
        const again = await verify();
        expect(again).toMatchObject({
          ok: false,
          problem: "bad-signature",
          checkpoints: 3,
          validCheckpoints: 1,
        });
      });

      it("rejects a checkpoint whose size was edited after signing", async () => {
        await fill(5);
        await log.checkpoint();
        await h.bypassTriggers(() => h.raw(`UPDATE ${h.tables.treeHeads} SET size = 3`));
        expect(await verify()).toMatchObject({ ok: false, problem: "bad-signature", validCheckpoints: 0 });
      });

      it("rejects a checkpoint whose signed text was edited, and a legacy checkpoint with an edited size", async () => {
        await fill(5);
        const cp = await log.checkpoint();
        const forged = cp.note.replace(`\n5\n`, "\n4\n");
        await h.bypassTriggers(() =>
          h.raw(`UPDATE ${h.tables.treeHeads} SET size = 4, note = ${str(forged)}`),
        );
        expect(await verify()).toMatchObject({ ok: false, problem: "bad-signature" });
        expect((await verify()).detail).toMatch(/altered after signing|not signed/);
      });

      it("detects rows inserted by hand with seq <= 0, and any row outside the chain", async () => {
        const recs = await fill(3);
        await log.checkpoint();
        const cols =
          "seq, at, host, model, purpose, body_sha256, placeholder_counts, decision, prev_hash, hash";
        const row = (seq: number) =>
          `(${seq}, '2026-01-01T00:00:00.000Z', 'hidden.example', 'm', 'plan', '${"0".repeat(64)}', '{}', 'allowed', '${GENESIS_HASH}', '${recs[0].hash}')`;
        await h.raw(`INSERT INTO ${h.tables.records} (${cols}) VALUES ${row(0)}, ${row(-5)}`);
        expect(await h.store.count()).toBe(5);
        const report = await verify();
        expect(report).toMatchObject({ ok: false, problem: "foreign-row" });
        expect(report.detail).toMatch(/sequence number -5/);
      });

      it("detects a log deleted together with its checkpoints as empty", async () => {
        await fill(4);
        await log.checkpoint();
        await h.bypassTriggers(async () => {
          await h.raw(`DELETE FROM ${h.tables.records}`);
          await h.raw(`DELETE FROM ${h.tables.treeHeads}`);
        });
        expect(await verify()).toMatchObject({ ok: false, problem: "empty" });
      });
    });
  });
}
