import { AuditConfigError } from "./audit-errors.js";
import { loadAuditPrivateKey } from "./audit-key.js";
import { AuditLog, type AuditLogOptions, type CheckpointSchedule } from "./audit-log.js";
import type { AuditStore } from "./audit-store.js";
import { PostgresAuditStore } from "./postgres-audit-store.js";
import { SqliteAuditStore } from "./sqlite-audit-store.js";
import type { WitnessConfig } from "./witness/witness-submitter.js";

export type AuditStoreConfig =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string; schema?: string };

export interface OpenAuditLogOptions {
  /** Path of the Ed25519 private key (PEM) that signs checkpoints; keep it outside the database. */
  keyPath?: string;
  /** The log's identity in its checkpoints (default: derived from the key). */
  origin?: string;
  /** This writer's id in records and checkpoints (default `<hostname>/<pid>`). */
  replicaId?: string;
  /** Store the pseudonymized request bodies (default false: SHA-256 only). */
  storeBodies?: boolean;
  /** Sign a checkpoint every N records, or `{ records, ms }`. Needs `keyPath`. */
  checkpointEvery?: number | CheckpointSchedule;
  /** Witnesses that co-sign the checkpoints (needs `keyPath`). */
  witnesses?: WitnessConfig[];
  onError?: AuditLogOptions["onError"];
}

export interface OpenAuditStoreOptions {
  /** Open an existing log without creating or migrating anything (missing: AUDIT_LOG_ABSENT). */
  readonly?: boolean;
}

/** Opens (creating if needed) the audit log. The key is loaded first, so a bad keyPath fails fast. */
export async function openAuditLog(
  config: AuditStoreConfig,
  options: OpenAuditLogOptions = {},
): Promise<AuditLog> {
  const privateKey = options.keyPath !== undefined ? loadAuditPrivateKey(options.keyPath) : undefined;
  const store = await openAuditStore(config);
  try {
    return new AuditLog(store, {
      privateKey,
      origin: options.origin,
      replicaId: options.replicaId,
      storeBodies: options.storeBodies,
      checkpointEvery: options.checkpointEvery,
      witnesses: options.witnesses,
      onError: options.onError,
    });
  } catch (error) {
    await store.close();
    throw error;
  }
}

export async function openAuditStore(
  config: AuditStoreConfig,
  options: OpenAuditStoreOptions = {},
): Promise<AuditStore> {
  switch (config?.kind) {
    case "sqlite":
      return new SqliteAuditStore(config.path, { readonly: options.readonly });
    case "postgres":
      return PostgresAuditStore.open({ url: config.url, schema: config.schema, readonly: options.readonly });
    default:
      throw new AuditConfigError(
        `Unknown audit store kind: ${JSON.stringify((config as { kind?: unknown })?.kind)}.`,
        'Use { kind: "sqlite", path } or { kind: "postgres", url, schema? }.',
      );
  }
}
