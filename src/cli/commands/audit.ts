import { ConfigError } from "../../config/config-error.js";
import { configPath } from "../../config/load-config.js";
import { formatAuditReport, openAuditLog } from "../../privacy/audit/index.js";
import type { CliIO } from "../cli-io.js";
import { type GlobalOptions, openConfig } from "../open-runtime.js";

async function openLog(globals: GlobalOptions, io: CliIO) {
  const config = await openConfig(globals, io);
  if (!config.audit) {
    throw new ConfigError("CONFIG_INVALID", "audit: missing (no audit store is configured)", {
      issues: [{ path: "audit", message: "missing" }],
      hint: 'Add "audit": { "path": "flm-audit.sqlite", "keyPath": "audit-key.pem" }.',
    });
  }
  const store = config.audit.path
    ? { kind: "sqlite" as const, path: configPath(config, config.audit.path) }
    : { kind: "postgres" as const, url: config.audit.url! };
  return {
    config,
    log: await openAuditLog(store, {
      keyPath: config.audit.keyPath ? configPath(config, config.audit.keyPath) : undefined,
    }),
  };
}

/** `flm audit verify`: checks the hash chain and signed checkpoints. Exit 1 when tampered. */
export async function auditVerifyCommand(
  options: { key?: string },
  globals: GlobalOptions,
  io: CliIO,
): Promise<number> {
  const { log } = await openLog(globals, io);
  try {
    const report = await log.verify(
      options.key ? (await import("node:fs")).readFileSync(options.key) : undefined,
    );
    io.print(formatAuditReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await log.close();
  }
}

/** `flm audit show`: the newest records (hashes, hosts, decisions; never values). */
export async function auditShowCommand(
  options: { limit?: string; json?: boolean },
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const { log } = await openLog(globals, io);
  try {
    const records = await log.show({ limit: options.limit ? Number(options.limit) : 50 });
    if (options.json) return io.print(JSON.stringify(records, null, 2));
    for (const r of records) {
      io.print([r.seq, r.at, r.decision, r.host, r.purpose, r.runId ?? "", r.reason ?? ""].join("  "));
    }
    if (records.length === 0) io.info("The audit log is empty.");
  } finally {
    await log.close();
  }
}
