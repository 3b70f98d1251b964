import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { AuditStoreUnavailableError } from "./audit-errors.js";
import { AuditLog } from "./audit-log.js";
import { auditStoreContract } from "./audit-store.contract.js";
import { SqliteAuditStore } from "./sqlite-audit-store.js";
import { verifyAudit } from "./verify-audit.js";

const TRIGGERS = ["audit_records", "audit_checkpoints", "audit_tree_heads", "audit_cosignatures"].flatMap(
  (t) => [`${t}_no_update`, `${t}_no_delete`],
);

auditStoreContract("SQLite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "flm-audit-sqlite-"));
  const path = join(dir, "audit.db");
  const store = new SqliteAuditStore(path);
  const others: SqliteAuditStore[] = [];
  return {
    store,
    tables: {
      records: "audit_records",
      checkpoints: "audit_checkpoints",
      treeHeads: "audit_tree_heads",
      cosignatures: "audit_cosignatures",
    },
    raw: async (sql) => {
      store.db.exec(sql);
    },
    bypassTriggers: async (fn) => {
      // SQLite cannot disable triggers; an attacker with the file simply drops them.
      for (const t of TRIGGERS) store.db.exec(`DROP TRIGGER ${t}`);
      try {
        await fn();
      } finally {
        // Opening the store re-creates missing triggers.
        new SqliteAuditStore(path).db.close();
      }
    },
    openAnother: async () => {
      const other = new SqliteAuditStore(path);
      others.push(other);
      return other;
    },
    cleanup: async () => {
      for (const o of others) await o.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe("SqliteAuditStore", () => {
  it("re-installs dropped triggers on open", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flm-audit-sqlite-"));
    try {
      const path = join(dir, "audit.db");
      const a = new SqliteAuditStore(path);
      a.db.exec("DROP TRIGGER audit_records_no_delete");
      await a.close();
      const b = new SqliteAuditStore(path);
      const names = b.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        .pluck()
        .all();
      expect(names).toEqual([...TRIGGERS].sort());
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails with a typed error when the file cannot be opened", () => {
    expect(() => new SqliteAuditStore("/nonexistent-dir-flm/audit.db")).toThrow(
      expect.objectContaining({ code: "AUDIT_STORE_FAILED" }),
    );
  });

  it("waits for a locked database without blocking the event loop, then fails as AUDIT_STORE_UNAVAILABLE", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flm-audit-sqlite-"));
    const path = join(dir, "audit.db");
    const store = new SqliteAuditStore(path, { busyTimeoutMs: 800 });
    const holder = new Database(path);
    const fields = {
      at: new Date().toISOString(),
      host: "h",
      model: "m",
      purpose: "plan",
      bodySha256: "0".repeat(64),
      placeholderCounts: {},
      decision: "allowed" as const,
    };
    try {
      holder.exec("BEGIN EXCLUSIVE");
      let last = performance.now();
      let worstGap = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        worstGap = Math.max(worstGap, now - last);
        last = now;
      }, 5);
      const t0 = performance.now();
      const error = await store.append(fields).catch((e) => e);
      clearInterval(ticker);
      expect(AuditStoreUnavailableError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: "AUDIT_STORE_UNAVAILABLE" });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(780);
      // A synchronous busy wait would freeze the loop for the whole 800 ms; retries leave it free
      // (the bound leaves room for a loaded machine's scheduling).
      expect(worstGap).toBeLessThan(300);
      // Released while an append waits: it goes through, and nothing half-written remains.
      const pending = store.append(fields);
      setTimeout(() => holder.exec("COMMIT"), 100);
      expect((await pending).seq).toBe(1);
      expect(await store.count()).toBe(1);
    } finally {
      if (holder.inTransaction) holder.exec("ROLLBACK");
      holder.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("opens a missing file read-only as AUDIT_LOG_ABSENT, without creating it", () => {
    const dir = mkdtempSync(join(tmpdir(), "flm-audit-sqlite-"));
    try {
      const path = join(dir, "gone.db");
      expect(() => new SqliteAuditStore(path, { readonly: true })).toThrow(
        expect.objectContaining({ code: "AUDIT_LOG_ABSENT" }),
      );
      expect(existsSync(path)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("counts a duplicated seq in a table rebuilt without its constraints as a failure", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flm-audit-sqlite-"));
    const path = join(dir, "audit.db");
    try {
      const log = new AuditLog(new SqliteAuditStore(path));
      for (let i = 0; i < 3; i++) {
        await log.append({ host: "h", model: "m", purpose: "plan", body: `${i}`, decision: "allowed" });
      }
      await log.close();
      const db = new Database(path);
      db.exec(`DROP TRIGGER audit_records_no_delete; DROP TRIGGER audit_records_no_update;
        CREATE TABLE copy AS SELECT * FROM audit_records; DROP TABLE audit_records;
        ALTER TABLE copy RENAME TO audit_records;
        INSERT INTO audit_records SELECT * FROM audit_records WHERE seq = 2;`);
      db.close();
      const store = new SqliteAuditStore(path, { readonly: true });
      const { publicKey } = generateKeyPairSync("ed25519");
      const report = await verifyAudit(store, { publicKey });
      await store.close();
      expect(report).toMatchObject({ ok: false });
      expect(["duplicate", "unaccounted-rows"]).toContain(report.problem);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
