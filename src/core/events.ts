import type { Grounding } from "./grounding.js";
import type { Plan, PlanStep } from "./plan.js";
import type { RunResult } from "./run-result.js";
import type { StepOutcome } from "./step-outcome.js";

/** What `agent.stream()` yields, in order: plan, tool events, context, text deltas, done (or error). */
export type AgentEvent =
  | { type: "plan"; plan: Plan; planner: string; repairs: number }
  | { type: "repair"; attempt: number; errors: string[] }
  /** A step of the plan arrived from the planner's stream and may start (`atMs` since the run began). */
  | { type: "plan-step"; step: PlanStep; atMs: number }
  /** Something the user should know about a run that still answers (e.g. the planner fell back). */
  | { type: "warning"; kind: string; message: string }
  /** `planning`: the plan was still streaming when the step started. */
  | { type: "tool-start"; step: PlanStep; atMs?: number; planning?: boolean }
  | { type: "tool-end"; outcome: StepOutcome }
  | {
      type: "context";
      includedSteps: string[];
      droppedSteps: string[];
      tokens: number;
      strategy: "direct" | "map-reduce";
    }
  | { type: "text-delta"; text: string }
  /** The answer was checked against the context (after the last text delta, before done). */
  | { type: "grounding"; grounding: Grounding }
  | { type: "done"; result: RunResult };

/** Where a stage reports its events. */
export type EmitEvent = (event: AgentEvent) => void;
