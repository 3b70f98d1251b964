import type { Plan } from "../plan/plan.js";
import type { StepStatus } from "./events.js";

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** One request that left for a cloud model: what exactly was sent. */
export interface EgressRecord {
  url: string;
  host: string;
  purpose: "plan" | "repair" | string;
  /** The exact request body as sent (already pseudonymized). */
  body: string;
  bytes: number;
  sha256: string;
  decision: "allowed" | "blocked";
  at: string;
}

export interface StepTrace {
  id: string;
  tool: string;
  /** Arguments as planned (placeholders, references), never resolved values. */
  args: Record<string, unknown>;
  status: StepStatus;
  durationMs: number;
  startedAtMs?: number;
  error?: { code: string; message: string };
  truncated?: boolean;
}

/** Everything needed to explain and audit one run. Contains no tool results. */
export interface RunTrace {
  id: string;
  startedAt: string;
  planner: string;
  plan?: Plan;
  repairs: number;
  steps: StepTrace[];
  usage: { cloud: TokenUsage; local: TokenUsage };
  egress: EgressRecord[];
  /** Milliseconds per stage: pseudonymize, plan, execute, context, answer, total. */
  stages: Record<string, number>;
  context?: {
    includedSteps: string[];
    droppedSteps: string[];
    tokens: number;
    budget: number;
    strategy: "direct" | "map-reduce";
    /** Map-reduce only: chunks visited, and how many could not be read. */
    chunks?: number;
    failedChunks?: number;
  };
}
