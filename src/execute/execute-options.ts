import type { PlanStep } from "../core/plan.js";
import type { StepOutcome } from "../core/step-outcome.js";
import type { Caller } from "../tools/caller.js";
import type { Tool } from "../tools/tool.js";

export interface ExecuteOptions {
  tools: ReadonlyMap<string, Tool>;
  /** Steps in flight at once. */
  concurrency?: number;
  /** Most time any step may take; a tool's own `timeoutMs` can only shorten it. */
  stepTimeoutMs?: number;
  /** Results larger than this (JSON characters) are cut with a visible marker. */
  maxResultChars?: number;
  signal?: AbortSignal;
  caller?: Caller;
  /**
   * Runs on the arguments the planner wrote, before references are resolved, e.g. to put
   * placeholders' real values back. `{ $ref }` objects are kept as they are: values that arrive
   * through a reference (earlier tool results) reach the tool untouched, whatever they look like.
   */
  prepareArgs?: (args: Record<string, unknown>, step: PlanStep) => Record<string, unknown>;
  onStart?: (step: PlanStep) => void;
  onEnd?: (outcome: StepOutcome) => void;
}

export const EXECUTE_DEFAULTS = { concurrency: 8, stepTimeoutMs: 30_000, maxResultChars: 50_000 } as const;
