import type { PlanStep } from "../core/plan.js";
import type { TokenUsage } from "../core/trace.js";
import type { ToolSpec } from "../tools/tool.js";
import type { RawPlannerOutput } from "./parse-plan.js";
import type { PlanIssue } from "./plan-errors.js";

export interface PlanRequest {
  /** The user's prompt, already pseudonymized. */
  prompt: string;
  /** Earlier user turns of the conversation, pseudonymized. Assistant answers never come here: they hold data. */
  history?: string[];
  tools: ToolSpec[];
  /** Today's date, YYYY-MM-DD, so relative dates ("last quarter") can be planned. */
  date: string;
  maxSteps: number;
  /** Set on a repair round: the planner's own previous reply and what was wrong with it. */
  repair?: { previous: RawPlannerOutput; issues: PlanIssue[] };
}

export interface PlanOptions {
  /** Aborted on the planner timeout and on run cancellation. */
  signal: AbortSignal;
  /** Epoch ms of the planner timeout, so waits (a provider's Retry-After) can tell whether they fit. */
  deadline?: number;
  /**
   * Asks for the reply as a stream: each step is reported as soon as it is complete, before the
   * rest of the plan has arrived (so it can start running). A planner that cannot stream never
   * calls it. The reply is still returned whole, and only the whole reply is validated.
   */
  onStep?: (step: PlanStep) => void;
}

/** Tokens of one planner call; `cachedInputTokens` where the provider reports prompt-cache reads. */
export type PlannerUsage = TokenUsage;

export interface PlannerReply {
  raw: RawPlannerOutput;
  usage: PlannerUsage;
  /** How many of the request's tools the planner was shown (tool selection), when fewer than all. */
  toolsShown?: number;
}

/**
 * Turns a request into a raw plan. Implementations: a cloud model (JSON or native tool calls),
 * a local model with grammar-constrained output, or a scripted planner in tests.
 */
export interface Planner {
  /** Shown in traces, e.g. `cloud:openai.chat/gpt-4o`. */
  readonly name: string;
  /** Cloud planners are subject to the egress guard; local ones never leave the machine. */
  readonly location: "cloud" | "local";
  plan(request: PlanRequest, options: PlanOptions): Promise<PlannerReply>;
}
