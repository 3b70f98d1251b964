/**
 * federated-lm/privacy: the privacy firewall's parts, for custom setups (the package root has
 * createPrivacy, which composes them): detectors, the pseudonymizer and its vault, the value and
 * taint indexes, the egress guard and tap, and the trust policy.
 */
export { createPrivacy, type Privacy, type PrivacyOptions } from "./agent-privacy.js";
export {
  createNerDetector,
  creditCardDetector,
  dateTimeDetector,
  defaultDetectors,
  emailDetector,
  ibanDetector,
  ipAddressDetector,
  type NerDetectorOptions,
  phoneDetector,
  secretDetector,
  streetAddressDetector,
  structuredDetectors,
  urlCredentialsDetector,
  usSsnDetector,
} from "./detectors/index.js";
export {
  createEgressGuard,
  type EgressGuard,
  type EgressGuardOptions,
  type EgressRecord,
} from "./egress-guard.js";
export { createEgressTap } from "./egress-tap.js";
export { PlaceholderVault, type VaultEntry } from "./placeholder-vault.js";
export {
  AnswerTaintUnavailableError,
  EgressBlockedError,
  type EgressHit,
  PolicyBlockedError,
  PrivacyDetectionError,
  PrivacySessionError,
  TaintedPromptError,
  UnknownPlaceholderError,
} from "./privacy-errors.js";
export { isLocalHost, isPrivateAddress } from "./private-address.js";
export {
  createPseudonymizer,
  DEFAULT_POLICIES,
  type EntityPolicy,
  type PseudonymizeContext,
  type Pseudonymizer,
  type PseudonymizerOptions,
  type PseudonymizeResult,
} from "./pseudonymizer.js";
export {
  createModePseudonymizer,
  type ModePseudonymizerOptions,
  PRIVACY_MODES,
  type PrivacyMode,
  publicTermsOf,
} from "./privacy-mode.js";
export { createStrictPseudonymizer, type StrictPseudonymizerOptions } from "./strict/strict-pseudonymizer.js";
export {
  createLocalReviewer,
  type LocalReviewer,
  type LocalReviewOptions,
  REVIEW_SCHEMA,
  type ReviewResult,
} from "./local-review.js";
export { laterMentions } from "./later-mentions.js";
export type { Detector, Span } from "./span.js";
export { type TaintIndexOptions, TaintIndex, type TaintLabel, type TaintScanner } from "./taint-index.js";
export {
  createTrustPolicy,
  type ResolveHost,
  systemResolver,
  type TrustDecision,
  type TrustPolicy,
  type TrustPolicyOptions,
} from "./trust-policy.js";
export { entityType, ValueIndex, type ValueIndexOptions } from "./value-index.js";
export { LiveValueIndex, type LiveValueIndexOptions, type RefreshReport } from "./live-value-index.js";
export {
  canonicalEntityType,
  ENTITY_TYPES,
  type EntityTypeInfo,
  resolveEntityPolicies,
} from "./entity-types.js";
export { AnswerTaint, type AnswerTaintOptions } from "./answer-taint/answer-taint.js";
export type { AnswerTaintStore, TaintEntry } from "./answer-taint/answer-taint-store.js";
export { MemoryAnswerTaintStore } from "./answer-taint/memory-answer-taint-store.js";
