export * from "./detectors/index.js";
export {
  createEgressGuard,
  type EgressGuard,
  type EgressGuardOptions,
  type EgressRecord,
} from "./egress-guard.js";
export { createEgressTap } from "./egress-tap.js";
export { scanBody } from "./scan-body.js";
export { normalizeValue, type Tokens, tokenize } from "./normalize.js";
export { PlaceholderVault, type VaultEntry } from "./placeholder-vault.js";
export {
  EgressBlockedError,
  type EgressHit,
  PolicyBlockedError,
  PrivacySessionError,
  UnknownPlaceholderError,
} from "./privacy-errors.js";
export {
  createPseudonymizer,
  DEFAULT_POLICIES,
  type EntityPolicy,
  type Pseudonymizer,
  type PseudonymizerOptions,
  type PseudonymizeResult,
  resolveOverlaps,
} from "./pseudonymizer.js";
export type { Detector, Span } from "./span.js";
export { type TaintIndexOptions, TaintIndex, type TaintLabel, type TaintScanner } from "./taint-index.js";
export { entityType, ValueIndex, type ValueIndexOptions } from "./value-index.js";
