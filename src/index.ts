// federated-lm: a cloud model plans, local tools run, a local model answers.
export { AgentConfigError } from "./agent/agent-errors.js";
export { GeneratorError } from "./core/run-errors.js";
export type { ChatTurn } from "./core/chat-turn.js";
export type { Agent, RunOptions } from "./core/agent.js";
export { type AgentLimits, DEFAULT_LIMITS } from "./agent/agent-limits.js";
export { type AgentOptions, createAgent } from "./agent/create-agent.js";
export { createEgressTap } from "./privacy/egress-tap.js";
export type { AgentEvent } from "./core/events.js";
export type { StepOutcome, StepStatus } from "./core/step-outcome.js";
export type { AgentPrivacy, PrivacySession } from "./core/privacy-hooks.js";
export type { RunResult } from "./core/run-result.js";
export type { EgressRecord } from "./core/egress-record.js";
export type { RunTrace, StepTrace, TokenUsage } from "./core/trace.js";
export { type BuiltContext, buildContext, type ContextBudget } from "./context/build-context.js";
export { renderStep, renderTable, renderValue } from "./context/layout.js";
export { type ExtractedFact, mapReduceResults } from "./context/map-reduce.js";
export {
  approximateTokenCounter,
  type TokenCounter,
  tokenizerTokenCounter,
} from "./context/token-counter.js";
export { FlmError, type FlmErrorOptions, isFlmError } from "./errors/flm-error.js";
export { type ExecuteOptions, executePlan } from "./execute/scheduler.js";
export { RunCancelledError } from "./core/run-errors.js";
export { StepArgumentsError, StepTimeoutError } from "./execute/step-errors.js";
export { type ModelSpecObject, parseModelSpec, resolveModel } from "./models/resolve-model.js";
export { createLocalPlanner, type LocalPlannerOptions } from "./plan/local-planner.js";
export { createModelPlanner, type ModelPlannerOptions } from "./plan/model-planner.js";
export { parsePlan, type RawPlannerOutput } from "./plan/parse-plan.js";
export type { Plan, PlanStep, StepRef } from "./core/plan.js";
export { type PlanIssue, type PlanIssueKind, PlannerError, PlanValidationError } from "./plan/plan-errors.js";
export { planJsonSchema } from "./plan/plan-schema.js";
export type { Planner, PlannerReply, PlanRequest } from "./plan/planner.js";
export { validatePlan } from "./plan/validate-plan.js";
export * from "./tools/index.js";
export * from "./sources/function/index.js";
export * from "./sources/mcp/index.js";
export * from "./sources/openapi/index.js";
export * from "./sources/sql/index.js";
export * from "./sources/mongo/index.js";
export * from "./privacy/audit/index.js";
export * from "./server/index.js";
export { createPrivacy, type Privacy, type PrivacyOptions } from "./privacy/agent-privacy.js";
export * from "./privacy/index.js";
export * from "./sources/documents/index.js";
export * from "./models/download/index.js";
export * from "./models/llama/index.js";
export * from "./models/ollama/index.js";
export * from "./config/index.js";
export * from "./runtime/index.js";
