/**
 * federated-lm: a cloud model plans, local tools run, a local model answers.
 *
 * The root is small on purpose (the agent, tools, privacy, errors, the model resolver); every
 * heavy part has its own entry, loaded only by who imports it:
 *   federated-lm/sources/sql · /sources/mongo · /sources/mcp · /sources/openapi · /sources/documents
 *   federated-lm/models/llama · /models/ollama · /models/download
 *   federated-lm/privacy (detectors, guard, vault, indexes) · /audit · /server · /config · /testing
 */

// The agent
export { type AgentLimits, DEFAULT_LIMITS } from "./agent/agent-limits.js";
export { type AgentOptions, createAgent } from "./agent/create-agent.js";
export type { Agent, RunOptions } from "./core/agent.js";
export type { ChatTurn } from "./core/chat-turn.js";
export type { EgressHit, EgressRecord } from "./core/egress-record.js";
export type { AgentEvent } from "./core/events.js";
export type { Plan, PlanStep, StepRef } from "./core/plan.js";
export type { AgentPrivacy, PrivacySession } from "./core/privacy-hooks.js";
export type { RunResult } from "./core/run-result.js";
export type { StepOutcome, StepStatus } from "./core/step-outcome.js";
export type { ContextTrace, RunTrace, StepTrace, TokenUsage } from "./core/trace.js";
export {
  approximateTokenCounter,
  type TokenCounter,
  tokenizerTokenCounter,
} from "./context/token-counter.js";

// Planners
export { createLocalPlanner, type LocalPlannerOptions } from "./plan/local-planner.js";
export { createModelPlanner, type ModelPlannerOptions } from "./plan/model-planner.js";
export type { Planner, PlannerReply, PlanRequest } from "./plan/planner.js";

// Tools
export { createFunctionSource } from "./sources/function/index.js";
export * from "./tools/index.js";

// Privacy
export { createPrivacy, type Privacy, type PrivacyOptions } from "./privacy/agent-privacy.js";
export { createEgressTap } from "./privacy/egress-tap.js";
export type { EntityPolicy } from "./privacy/pseudonymizer.js";
export type { Detector, Span } from "./privacy/span.js";
export {
  createTrustPolicy,
  type ResolveHost,
  type TrustDecision,
  type TrustPolicy,
} from "./privacy/trust-policy.js";

// Errors
export { AgentConfigError } from "./agent/agent-errors.js";
export { GeneratorError, RunCancelledError } from "./core/run-errors.js";
export * from "./errors/index.js";
export { StepArgumentsError, StepTimeoutError } from "./execute/step-errors.js";
export { type PlanIssue, type PlanIssueKind, PlannerError, PlanValidationError } from "./plan/plan-errors.js";
export {
  EgressBlockedError,
  PolicyBlockedError,
  PrivacySessionError,
  UnknownPlaceholderError,
} from "./privacy/privacy-errors.js";

// Models
export { type ModelSpecObject, parseModelSpec, resolveModel } from "./models/resolve-model.js";
