export {
  AuditConfigError,
  AuditEncodingError,
  AuditKeyError,
  type AuditKeyProblem,
  AuditLogAbsentError,
  AuditNoteError,
  AuditStoreError,
  AuditStoreUnavailableError,
  AuditWitnessError,
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
export type { AppendTreeHeadOptions, AuditStore, ListRecordsOptions } from "./audit-store.js";
export { canonicalJson } from "./canonical-json.js";
export { formatAuditReport } from "./format-audit-report.js";
export {
  type CheckpointClaim,
  type SignedCheckpoint,
  type StoredCheckpoint,
  signCheckpoint,
} from "./legacy-checkpoint.js";
export { consistencyProof, Frontier, leafHash, nodeHash, verifyConsistency } from "./merkle.js";
export {
  type AuditStoreConfig,
  type OpenAuditLogOptions,
  type OpenAuditStoreOptions,
  openAuditLog,
  openAuditStore,
} from "./open-audit-log.js";
export { PostgresAuditStore, type PostgresAuditStoreOptions } from "./postgres-audit-store.js";
export { SqliteAuditStore, type SqliteAuditStoreOptions } from "./sqlite-audit-store.js";
export { type CheckpointBody, formatCheckpoint, parseCheckpoint } from "./tlog-checkpoint.js";
export {
  defaultOrigin,
  type StoredCosignature,
  type StoredTreeHead,
  type TreeHead,
  TreeHeadSigner,
} from "./tree-head.js";
export {
  type AuditProblem,
  type AuditReport,
  type VerifyAuditOptions,
  verifyAudit,
  type WitnessReport,
} from "./verify-audit.js";
export type { WitnessCheck } from "./verify-witness.js";
export { generateWitnessKey, loadWitnessSigner } from "./witness/witness-key.js";
export {
  type RunningWitness,
  startWitnessServer,
  type WitnessServerOptions,
} from "./witness/witness-server.js";
export type { WitnessConfig, WitnessStatus } from "./witness/witness-submitter.js";
