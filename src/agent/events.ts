import type { Plan, PlanStep } from "../plan/plan.js";
import type { RunResult } from "./run-result.js";

export type StepStatus = "ok" | "failed" | "timeout" | "skipped" | "cancelled";

export interface StepOutcome {
  step: PlanStep;
  status: StepStatus;
  /** Arguments after references and placeholders were filled in locally. Never leaves the building. */
  args?: Record<string, unknown>;
  /** Present when status is ok. Never leaves the building. */
  output?: unknown;
  /** Why it failed or was skipped (no data from other steps in it). */
  error?: { code: string; message: string };
  startedAt?: number;
  durationMs: number;
  /** True when the output was cut to the configured cap (a visible marker is in the context). */
  truncated?: boolean;
}

/** What `agent.stream()` yields, in order: plan, tool events, text deltas, done (or error). */
export type AgentEvent =
  | { type: "plan"; plan: Plan; planner: string; repairs: number }
  | { type: "repair"; attempt: number; errors: string[] }
  | { type: "tool-start"; step: PlanStep }
  | { type: "tool-end"; outcome: StepOutcome }
  | {
      type: "context";
      includedSteps: string[];
      droppedSteps: string[];
      tokens: number;
      strategy: "direct" | "map-reduce";
    }
  | { type: "text-delta"; text: string }
  | { type: "done"; result: RunResult };
