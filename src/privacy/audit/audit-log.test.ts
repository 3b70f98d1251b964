import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateAuditKey, loadAuditPublicKey } from "./audit-key.js";
import type { AuditEntry } from "./audit-log.js";
import { sha256Hex } from "./audit-record.js";
import { formatAuditReport, openAuditLog, verifyAudit } from "./index.js";
import { SqliteAuditStore } from "./sqlite-audit-store.js";

const body = '{"model":"gpt-5-mini","messages":[{"role":"user","content":"orders of <PERSON_1>?"}]}';
const entry = (extra: Partial<AuditEntry> = {}): AuditEntry => ({
  host: "api.openai.com",
  model: "gpt-5-mini",
  purpose: "plan",
  body,
  placeholderCounts: { PERSON: 1 },
  decision: "allowed",
  ...extra,
});

describe("openAuditLog / AuditLog (SQLite)", () => {
  let dir: string;
  let keyPath: string;
  let dbPath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "flm-audit-log-"));
    keyPath = join(dir, "audit-key.pem");
    dbPath = join(dir, "audit.db");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("tells append listeners about each record until they are removed (metrics count appends)", async () => {
    const log = await openAuditLog({ kind: "sqlite", path: dbPath });
    const seen: string[] = [];
    const stop = log.onAppend((r) => seen.push(`${r.seq}:${r.decision}`));
    log.onAppend(() => {
      throw new Error("a failing listener never fails the append");
    });
    await log.append(entry());
    await log.append(entry({ decision: "blocked", reason: "EMAIL from s1" }));
    stop();
    await log.append(entry());
    expect(seen).toEqual(["1:allowed", "2:blocked"]);
    await log.close();
  });

  it("stores only the body hash by default, and the body with storeBodies", async () => {
    const plain = await openAuditLog({ kind: "sqlite", path: dbPath });
    const a = await plain.append(entry());
    expect(a.bodySha256).toBe(sha256Hex(body));
    expect(a).not.toHaveProperty("body");
    await plain.close();
    const withBodies = await openAuditLog({ kind: "sqlite", path: dbPath }, { storeBodies: true });
    const b = await withBodies.append(entry({ body: new TextEncoder().encode(body) }));
    expect(b.body).toBe(body);
    expect((await withBodies.show()).map((r) => r.body)).toEqual([undefined, body]);
    await withBodies.close();
  });

  it("signs checkpoints with the key file and verifies with the .pub file", async () => {
    generateAuditKey(keyPath);
    const log = await openAuditLog({ kind: "sqlite", path: dbPath }, { keyPath });
    await log.append(entry());
    await log.append(entry({ decision: "blocked", reason: "EMAIL from s2", purpose: "repair" }));
    const cp = await log.checkpoint();
    expect(cp).toMatchObject({ size: 2, id: 1 });
    expect(await log.verify()).toMatchObject({ ok: true, records: 2, validCheckpoints: 1 });
    const store = new SqliteAuditStore(dbPath);
    expect(await verifyAudit(store, { publicKey: loadAuditPublicKey(`${keyPath}.pub`) })).toMatchObject({
      ok: true,
      latestCheckpoint: { size: 2, rootHash: cp.rootHash },
    });
    await store.close();
    await log.close();
  });

  it("checkpoints every N records", async () => {
    generateAuditKey(keyPath);
    const log = await openAuditLog({ kind: "sqlite", path: dbPath }, { keyPath, checkpointEvery: 3 });
    for (let i = 0; i < 7; i++) {
      await log.append(entry());
      await log.settled();
    }
    expect((await log.store.listTreeHeads()).map((c) => c.size)).toEqual([3, 6]);
    await log.close();
  });

  it("does not sign duplicate checkpoints under concurrent appends", async () => {
    generateAuditKey(keyPath);
    const log = await openAuditLog({ kind: "sqlite", path: dbPath }, { keyPath, checkpointEvery: 4 });
    await Promise.all(Array.from({ length: 17 }, () => log.append(entry())));
    await log.settled();
    await log.checkpoint();
    const sizes = (await log.store.listTreeHeads()).map((c) => c.size);
    expect(sizes.at(-1)).toBe(17);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1]);
    expect((await log.verify()).ok).toBe(true);
    await log.close();
  });

  it("checkpoints every T ms when records were appended, and not when idle", async () => {
    generateAuditKey(keyPath);
    const log = await openAuditLog(
      { kind: "sqlite", path: dbPath },
      { keyPath, checkpointEvery: { ms: 20 } },
    );
    await log.append(entry());
    await new Promise((r) => setTimeout(r, 120));
    await log.settled();
    const sizes = (await log.store.listTreeHeads()).map((c) => c.size);
    expect(sizes).toEqual([1]);
    await log.close();
  });

  it("fails fast and clearly on a missing key, and without a key for checkpoints", async () => {
    await expect(openAuditLog({ kind: "sqlite", path: dbPath }, { keyPath })).rejects.toMatchObject({
      code: "AUDIT_KEY_MISSING",
    });
    await expect(
      openAuditLog({ kind: "sqlite", path: dbPath }, { checkpointEvery: 10 }),
    ).rejects.toMatchObject({
      code: "AUDIT_KEY_MISSING",
    });
    const log = await openAuditLog({ kind: "sqlite", path: dbPath });
    await expect(log.checkpoint()).rejects.toMatchObject({ code: "AUDIT_KEY_MISSING" });
    await expect(log.verify()).rejects.toMatchObject({ code: "AUDIT_KEY_MISSING" });
    await log.close();
  });

  it.each([
    ["empty host", { host: "" }, /host/],
    ["bad decision", { decision: "maybe" as never }, /allowed" or "blocked/],
    ["no body", { body: undefined }, /body or its lowercase hex SHA-256/],
    ["wrong bodySha256", { bodySha256: "a".repeat(64) }, /does not match its body/],
    ["negative count", { placeholderCounts: { EMAIL: -1 } }, /placeholderCounts.EMAIL/],
  ])("rejects an entry with %s", async (_n, extra, message) => {
    const log = await openAuditLog({ kind: "sqlite", path: dbPath });
    await expect(log.append(entry(extra))).rejects.toThrow(message);
    await expect(log.append(entry(extra))).rejects.toMatchObject({ code: "AUDIT_CONFIG_INVALID" });
    expect(await log.store.head()).toEqual({ size: 0, headHash: undefined });
    await log.close();
  });

  it("accepts a precomputed bodySha256 instead of a body", async () => {
    const log = await openAuditLog({ kind: "sqlite", path: dbPath }, { storeBodies: true });
    const rec = await log.append(entry({ body: undefined, bodySha256: sha256Hex("x") }));
    expect(rec.bodySha256).toBe(sha256Hex("x"));
    expect(rec).not.toHaveProperty("body");
    await log.close();
  });

  it("rejects an unknown store kind", async () => {
    await expect(openAuditLog({ kind: "mysql" } as never)).rejects.toMatchObject({
      code: "AUDIT_CONFIG_INVALID",
    });
  });

  it("formats OK and failing reports", async () => {
    generateAuditKey(keyPath);
    const log = await openAuditLog({ kind: "sqlite", path: dbPath }, { keyPath, storeBodies: true });
    for (let i = 0; i < 4; i++) await log.append(entry());
    await log.checkpoint();
    const ok = formatAuditReport(await log.verify());
    expect(ok).toMatch(/^Audit log OK: 4 record\(s\), 1 checkpoint\(s\), 1 validly signed\./);
    expect(ok).toMatch(/Latest signed checkpoint: #1, 4 record\(s\)/);
    const store = log.store as SqliteAuditStore;
    store.db.exec("DROP TRIGGER audit_records_no_delete; DELETE FROM audit_records WHERE seq = 2");
    const bad = formatAuditReport(await log.verify());
    expect(bad).toMatch(/^Audit log FAILED verification: deleted at record 2\./);
    expect(bad).toMatch(/Record 2 is missing/);
    expect(bad).not.toContain("PERSON_1"); // never prints bodies
    await log.close();
  });
});
