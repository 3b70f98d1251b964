import { existsSync, readFileSync } from "node:fs";
import { ConfigError } from "../../config/config-error.js";
import { configPath, type FlmConfig } from "../../config/load-config.js";
import {
  type AuditStore,
  type AuditStoreConfig,
  AuditLogAbsentError,
  formatAuditReport,
  generateAuditKey,
  loadAuditPrivateKey,
  loadAuditPublicKey,
  openAuditLog,
  openAuditStore,
  TreeHeadSigner,
  verifyAudit,
  type WitnessCheck,
} from "../../privacy/audit/index.js";
import { isVerifierKey } from "../../privacy/audit/signed-note.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../exit-codes.js";
import { type GlobalOptions, openConfig } from "../open-runtime.js";

type AuditConfig = NonNullable<FlmConfig["audit"]>;

async function auditConfig(
  globals: GlobalOptions,
  io: CliIO,
): Promise<{ config: FlmConfig; audit: AuditConfig }> {
  const config = await openConfig(globals, io);
  if (!config.audit) {
    throw new ConfigError("CONFIG_INVALID", "audit: missing (no audit store is configured)", {
      issues: [{ path: "audit", message: "missing" }],
      hint: 'Add "audit": { "path": "flm-audit.sqlite", "keyPath": "audit-key.pem" }.',
    });
  }
  return { config, audit: config.audit };
}

function storeConfig(config: FlmConfig, audit: AuditConfig): AuditStoreConfig {
  return audit.path
    ? { kind: "sqlite", path: configPath(config, audit.path) }
    : { kind: "postgres", url: audit.url!, schema: audit.schema };
}

const configuredWitnesses = (audit: AuditConfig) => audit.witnesses ?? [];
const configuredOrigin = (audit: AuditConfig) => audit.origin;

/** `--witness <url>`, `<url>#<verifier key>`, `<verifier key>`, or a file holding a verifier key. */
export function parseWitnessFlag(value: string): WitnessCheck {
  const v = value.trim();
  if (/^https?:\/\//i.test(v)) {
    const hash = v.indexOf("#");
    if (hash < 0) return { url: v };
    const key = decodeURIComponent(v.slice(hash + 1));
    if (!isVerifierKey(key)) {
      throw new UsageError(`--witness ${value}: the part after # is not a verifier key.`, witnessUsage);
    }
    return { url: v.slice(0, hash), key };
  }
  if (isVerifierKey(v)) return { key: v };
  if (existsSync(v)) {
    const key = readFileSync(v, "utf8").trim();
    if (isVerifierKey(key)) return { key };
  }
  throw new UsageError(`--witness ${value}: not a URL, a verifier key, or a file holding one.`, witnessUsage);
}

const witnessUsage =
  "Use --witness http://host:7380 (ask the witness), --witness 'http://host:7380#name+1a2b3c4d+BAbc…' (and pin its key), or --witness name+1a2b3c4d+BAbc… (check the cosignatures stored in the log).";

function logKey(config: FlmConfig, audit: AuditConfig, key: string | undefined) {
  if (key !== undefined) {
    if (isVerifierKey(key)) return key;
    if (existsSync(key) && isVerifierKey(readFileSync(key, "utf8").trim()))
      return readFileSync(key, "utf8").trim();
    return loadAuditPublicKey(key);
  }
  return audit.keyPath ? loadAuditPublicKey(configPath(config, audit.keyPath)) : undefined;
}

/**
 * `flm audit verify`: every row, the hash chain, the Merkle root at every signed checkpoint, and
 * what each witness co-signed. Exit 1 when anything is wrong, including an absent or empty log.
 */
export async function auditVerifyCommand(
  options: {
    key?: string;
    witness?: string[];
    configuredWitnesses?: boolean;
    allowEmpty?: boolean;
    json?: boolean;
  },
  globals: GlobalOptions,
  io: CliIO,
): Promise<number> {
  const { config, audit } = await auditConfig(globals, io);
  const witnesses: WitnessCheck[] = (options.witness ?? []).map(parseWitnessFlag);
  if (options.configuredWitnesses !== false) {
    for (const w of configuredWitnesses(audit))
      witnesses.push({ url: w.url, key: w.key, fallbackToStored: true });
  }
  const publicKey = logKey(config, audit, options.key);
  let store: AuditStore;
  try {
    store = await openAuditStore(storeConfig(config, audit), { readonly: true });
  } catch (error) {
    if (!AuditLogAbsentError.isInstance(error)) throw error;
    const ok = Boolean(options.allowEmpty) && witnesses.length === 0;
    const report = { ok, problem: ok ? undefined : "empty", detail: error.message, records: 0 };
    io.print(
      options.json
        ? JSON.stringify(report, null, 2)
        : `Audit log ${ok ? "absent (allowed)" : "FAILED verification: empty"}.\n  ${error.message}`,
    );
    return ok ? 0 : 1;
  }
  try {
    const report = await verifyAudit(store, {
      publicKey,
      origin: configuredOrigin(audit),
      allowEmpty: options.allowEmpty,
      witnesses,
    });
    io.print(options.json ? JSON.stringify(report, null, 2) : formatAuditReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

/** `flm audit show`: the newest records (hashes, hosts, decisions; never values). */
export async function auditShowCommand(
  options: { limit?: string; json?: boolean },
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const { config, audit } = await auditConfig(globals, io);
  let store: AuditStore;
  try {
    store = await openAuditStore(storeConfig(config, audit), { readonly: true });
  } catch (error) {
    if (!AuditLogAbsentError.isInstance(error)) throw error;
    if (options.json) io.print("[]");
    io.info(`The audit log is empty. ${error.message}`);
    return;
  }
  try {
    const limit = options.limit ? Number(options.limit) : 50;
    const records = (await store.list({ limit, newestFirst: true })).reverse();
    if (options.json) return io.print(JSON.stringify(records, null, 2));
    for (const r of records) {
      io.print([r.seq, r.at, r.decision, r.host, r.purpose, r.runId ?? "", r.reason ?? ""].join("  "));
    }
    if (records.length === 0) io.info("The audit log is empty.");
  } finally {
    await store.close();
  }
}

/** `flm audit keygen [path]`: a new Ed25519 checkpoint key (and .pub); prints the log's verifier key. */
export async function auditKeygenCommand(
  path: string | undefined,
  options: { force?: boolean; origin?: string },
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  let target = path;
  let origin = options.origin;
  if (!target) {
    const { config, audit } = await auditConfig(globals, io);
    if (!audit.keyPath) {
      throw new UsageError(
        "No key path given and audit.keyPath is not configured.",
        "Usage: flm audit keygen <path>",
      );
    }
    target = configPath(config, audit.keyPath);
    origin ??= configuredOrigin(audit);
  }
  const out = generateAuditKey(target, { overwrite: options.force });
  io.info(`Wrote ${out.privateKeyPath} (keep it secret, outside the database) and ${out.publicKeyPath}.`);
  io.print(new TreeHeadSigner(loadAuditPrivateKey(target), origin).vkey);
}

/** `flm audit vkey`: the log's C2SP verifier key, for witnesses (`--log`) and auditors (`--key`). */
export async function auditVkeyCommand(globals: GlobalOptions, io: CliIO): Promise<void> {
  const { config, audit } = await auditConfig(globals, io);
  if (!audit.keyPath) {
    throw new ConfigError("CONFIG_INVALID", "audit.keyPath: missing (the log has no checkpoint key)", {
      issues: [{ path: "audit.keyPath", message: "missing" }],
      hint: "Create one with flm audit keygen <path> and set audit.keyPath.",
    });
  }
  io.print(
    new TreeHeadSigner(loadAuditPrivateKey(configPath(config, audit.keyPath)), configuredOrigin(audit)).vkey,
  );
}

/** `flm audit checkpoint`: sign a checkpoint of the head now and wait for the witnesses' answers. */
export async function auditCheckpointCommand(globals: GlobalOptions, io: CliIO): Promise<number> {
  const { config, audit } = await auditConfig(globals, io);
  if (!audit.keyPath) {
    throw new ConfigError("CONFIG_INVALID", "audit.keyPath: missing (checkpoints need a signing key)", {
      issues: [{ path: "audit.keyPath", message: "missing" }],
      hint: "Create one with flm audit keygen <path> and set audit.keyPath.",
    });
  }
  const errors: unknown[] = [];
  const log = await openAuditLog(storeConfig(config, audit), {
    keyPath: configPath(config, audit.keyPath),
    origin: configuredOrigin(audit),
    replicaId: audit.replicaId,
    witnesses: configuredWitnesses(audit),
    onError: (e) => errors.push(e),
  });
  try {
    const head = await log.checkpoint();
    await log.settled();
    io.print(`Checkpoint of ${head.size} record(s) (${log.origin}), root ${head.rootHash}`);
    for (const w of log.witnessStatus()) {
      const state = w.lastError
        ? `FAILED: ${w.lastError.message}`
        : `co-signed ${w.size} record(s) at ${w.cosignedAt}`;
      io.print(`  witness ${w.name} (${w.url}): ${state}`);
    }
    return log.witnessStatus().some((w) => w.lastError) ? 1 : 0;
  } finally {
    await log.close();
  }
}
