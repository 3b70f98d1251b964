import type { AuditLog } from "../privacy/audit/audit-log.js";
import { formatAuditReport } from "../privacy/audit/format-audit-report.js";
import type { AuditReport } from "../privacy/audit/verify-audit.js";

export interface AuditState {
  kind: string;
  records: number;
  headHash?: string;
  checkpoints: number;
  latestCheckpoint?: { id: number; size: number; at: string };
  storeBodies: boolean;
}

/** A blocked egress as the audit log recorded it: never a body. */
export interface BlockedEgress {
  seq: number;
  at: string;
  host: string;
  model: string;
  purpose: string;
  reason?: string;
  runId?: string;
  userId?: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Exactly what `flm audit verify` prints. */
  text: string;
  at: string;
}

/** What the console shows of the audit log. */
export interface ConsoleAudit {
  state(): Promise<AuditState>;
  /** Runs the same verification as `flm audit verify`. */
  verify(): Promise<AuditVerification>;
  /** Blocked egress among the newest `scan` records, newest first. */
  recentBlocked(options?: { limit?: number; scan?: number }): Promise<BlockedEgress[]>;
}

export interface ConsoleAuditOptions {
  /** The verification to run (default `log.verify()`: the chain and signed checkpoints). */
  verify?: () => Promise<AuditReport>;
  /** Formats a report (default: the CLI's `formatAuditReport`). */
  format?: (report: AuditReport) => string;
}

export function consoleAudit(log: AuditLog, options: ConsoleAuditOptions = {}): ConsoleAudit {
  const verify = options.verify ?? (() => log.verify());
  const format = options.format ?? formatAuditReport;
  return {
    async state() {
      // Signed checkpoints: tree heads (C2SP), and the JSON ones of logs written before them.
      const [head, treeHeads, legacy] = await Promise.all([
        log.store.head(),
        log.store.listTreeHeads(),
        log.store.listCheckpoints(),
      ]);
      const last = treeHeads.at(-1) ?? legacy.at(-1);
      return {
        kind: log.store.kind,
        records: head.size,
        headHash: head.headHash,
        checkpoints: treeHeads.length + legacy.length,
        latestCheckpoint: last && { id: last.id, size: last.size, at: last.at },
        storeBodies: log.storeBodies,
      };
    },
    async verify() {
      const report = await verify();
      return { ok: report.ok, text: format(report), at: new Date().toISOString() };
    },
    async recentBlocked({ limit = 50, scan = 5000 } = {}) {
      const out: BlockedEgress[] = [];
      const rows = await log.store.list({ newestFirst: true, limit: scan });
      for (const r of rows) {
        if (r.decision !== "blocked") continue;
        out.push({
          seq: r.seq,
          at: r.at,
          host: r.host,
          model: r.model,
          purpose: r.purpose,
          reason: r.reason,
          runId: r.runId,
          userId: r.userId,
        });
        if (out.length >= limit) break;
      }
      return out;
    },
  };
}
