export { type AuditProblem, type AuditReport, type VerifyAuditOptions, verifyAudit } from "./verify-audit.js";
export {
  AuditConfigError,
  AuditEncodingError,
  AuditKeyError,
  type AuditKeyProblem,
  AuditStoreError,
} from "./audit-errors.js";
export {
  type GeneratedAuditKey,
  generateAuditKey,
  loadAuditPrivateKey,
  loadAuditPublicKey,
  toPublicKey,
} from "./audit-key.js";
export {
  type AuditEntry,
  AuditLog,
  type AuditLogOptions,
  type CheckpointSchedule,
  type ShowOptions,
} from "./audit-log.js";
export {
  type AuditDecision,
  type AuditPurpose,
  type AuditRecord,
  type AuditRecordFields,
  computeRecordHash,
  GENESIS_HASH,
} from "./audit-record.js";
export type { AuditStore, ListRecordsOptions } from "./audit-store.js";
export { canonicalJson } from "./canonical-json.js";
export {
  type CheckpointClaim,
  type SignedCheckpoint,
  type StoredCheckpoint,
  signCheckpoint,
} from "./legacy-checkpoint.js";
export { formatAuditReport } from "./format-audit-report.js";
export {
  type AuditStoreConfig,
  type OpenAuditLogOptions,
  openAuditLog,
  openAuditStore,
} from "./open-audit-log.js";
export { PostgresAuditStore, type PostgresAuditStoreOptions } from "./postgres-audit-store.js";
export { SqliteAuditStore, type SqliteAuditStoreOptions } from "./sqlite-audit-store.js";
