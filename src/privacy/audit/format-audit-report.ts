import type { AuditReport } from "./verify-audit.js";

/** Plain-text rendering of a verification report, for `flm audit verify`. */
export function formatAuditReport(report: AuditReport): string {
  const lines: string[] = [];
  const cps = `${report.checkpoints} checkpoint(s), ${report.validCheckpoints} validly signed`;
  if (report.ok) {
    lines.push(`Audit log OK: ${report.records} record(s), ${cps}.`);
  } else {
    const where = report.firstBadSeq !== undefined ? ` at record ${report.firstBadSeq}` : "";
    lines.push(`Audit log FAILED verification: ${report.problem}${where}.`);
    if (report.detail) lines.push(`  ${report.detail}`);
    lines.push(`  Read ${report.records} record(s), ${cps}.`);
  }
  if (report.origin) lines.push(`  Origin: ${report.origin}`);
  if (report.headHash) lines.push(`  Head hash: ${report.headHash}`);
  if (report.rootHash) lines.push(`  Merkle root: ${report.rootHash}`);
  const cp = report.latestCheckpoint;
  if (cp) lines.push(`  Latest signed checkpoint: #${cp.id}, ${cp.size} record(s), ${cp.at}`);
  for (const w of report.witnesses) {
    const seen =
      w.size === undefined
        ? "never co-signed this log"
        : `co-signed ${w.size} record(s)${w.at ? ` at ${w.at}` : ""}`;
    const from = w.source === "stored" ? " (cosignatures stored in the log)" : "";
    lines.push(`  Witness ${w.name}${w.url ? ` ${w.url}` : ""}: ${seen}${from}${w.ok ? "" : " — MISMATCH"}`);
  }
  for (const warning of report.warnings) lines.push(`  Warning: ${warning}`);
  return lines.join("\n");
}
