import type { EmitEvent } from "../core/events.js";
import type { Plan, PlanStep } from "../core/plan.js";
import type { SessionPrivacy } from "../core/privacy-hooks.js";
import type { StepOutcome } from "../core/step-outcome.js";
import type { Caller } from "../tools/caller.js";
import type { Tool } from "../tools/tool.js";
import type { ExecuteOptions } from "./execute-options.js";
import { PlanRun, type StartedStep } from "./plan-run.js";
import { executePlan } from "./scheduler.js";

export interface StepRunInput {
  tools: ReadonlyMap<string, Tool>;
  limits: { concurrency: number; stepTimeoutMs: number; maxResultChars: number };
  signal: AbortSignal;
  caller?: Caller;
  privacy?: SessionPrivacy;
  emit: EmitEvent;
  /** What the tool-start event says about timing: ms since the run began, and whether the plan is still streaming. */
  startInfo?: (step: PlanStep) => { atMs: number; planning: boolean };
}

/**
 * How the execute stage runs steps: the placeholders' real values put back just before each call,
 * and every result (and every error message, which can quote data too) registered as tainted for
 * the egress guard before anything else sees it.
 */
function stepOptions(input: StepRunInput): ExecuteOptions {
  const { privacy, emit } = input;
  return {
    tools: input.tools,
    ...input.limits,
    signal: input.signal,
    caller: input.caller,
    prepareArgs: privacy ? (args) => privacy.restore(args) : undefined,
    onStart: (step) => emit({ type: "tool-start", step, ...input.startInfo?.(step) }),
    onEnd: (outcome) => {
      // Error messages of failed steps carry data too (a database's "key (email)=(…)").
      privacy?.taint(outcome.step.id, outcome.status === "ok" ? outcome.output : outcome.error?.message);
      emit({ type: "tool-end", outcome });
    },
  };
}

/** The execute stage for a whole plan: its tools run locally, in parallel where independent. */
export function runPlanSteps(input: StepRunInput & { plan: Plan }): Promise<StepOutcome[]> {
  return executePlan(input.plan, stepOptions(input));
}

/**
 * The execute stage for a plan that streams in: steps are added as they arrive. `reuse`: the steps
 * an earlier attempt (before a repair) already started, which this run takes over when unchanged.
 * `onSettled`: each outcome of this plan as it settles (after it is tainted), e.g. to lay out the
 * context while other steps still run.
 */
export function startPlanRun(
  input: StepRunInput,
  reuse?: ReadonlyMap<string, StartedStep>,
  onSettled?: (outcome: StepOutcome) => void,
): PlanRun {
  return new PlanRun({ ...stepOptions(input), reuse, onSettled });
}
