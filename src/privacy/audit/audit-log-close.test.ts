import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateAuditKey, loadAuditPublicKey } from "./audit-key.js";
import { openAuditLog } from "./open-audit-log.js";
import { verifyAudit } from "./verify-audit.js";

describe("closing the audit log", () => {
  it("signs what this process appended, and nothing when it appended nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flm-audit-close-"));
    const keyPath = join(dir, "audit.key");
    await generateAuditKey(keyPath);
    const config = { kind: "sqlite" as const, path: join(dir, "audit.sqlite") };
    const entry = {
      host: "api.example.com",
      model: "m",
      purpose: "plan",
      body: "{}",
      decision: "allowed" as const,
    };

    const first = await openAuditLog(config, { keyPath });
    await first.append(entry);
    await first.close();
    const readOnly = await openAuditLog(config, { keyPath });
    await readOnly.close();

    const reopened = await openAuditLog(config, { keyPath });
    const report = await verifyAudit(reopened.store, {
      publicKey: await loadAuditPublicKey(`${keyPath}.pub`),
    });
    await reopened.close();
    expect(report.ok).toBe(true);
    expect(report.checkpoints).toBe(1);
    expect(report.warnings.join(" ")).not.toMatch(/not yet signed/);
  });
});
