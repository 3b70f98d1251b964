import { configPath, type FlmConfig } from "../config/load-config.js";
import type { AuditLog } from "../privacy/audit/audit-log.js";

/** The audit log `config.audit` describes (SQLite file or PostgreSQL), or undefined when there is none. */
export async function openConfiguredAudit(config: FlmConfig): Promise<AuditLog | undefined> {
  const audit = config.audit;
  if (!audit) return undefined;
  const { openAuditLog } = await import("../privacy/audit/open-audit-log.js");
  return openAuditLog(
    audit.path
      ? { kind: "sqlite", path: configPath(config, audit.path) }
      : { kind: "postgres", url: audit.url!, schema: audit.schema },
    {
      keyPath: audit.keyPath ? configPath(config, audit.keyPath) : undefined,
      origin: audit.origin,
      replicaId: audit.replicaId,
      witnesses: audit.witnesses,
      storeBodies: audit.storeBodies,
      checkpointEvery: audit.keyPath ? (audit.checkpointEvery ?? { records: 100, ms: 60_000 }) : undefined,
    },
  );
}
