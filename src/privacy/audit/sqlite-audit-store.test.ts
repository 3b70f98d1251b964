import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditStoreContract } from "./audit-store.contract.js";
import { SqliteAuditStore } from "./sqlite-audit-store.js";

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
});
