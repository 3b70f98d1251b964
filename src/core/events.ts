import type { Plan, PlanStep } from "./plan.js";
import type { RunResult } from "./run-result.js";
import type { StepOutcome } from "./step-outcome.js";

/** What `agent.stream()` yields, in order: plan, tool events, context, text deltas, done (or error). */
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

/** Where a stage reports its events. */
export type EmitEvent = (event: AgentEvent) => void;
