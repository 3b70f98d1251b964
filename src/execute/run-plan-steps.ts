import type { EmitEvent } from "../core/events.js";
import type { Plan } from "../core/plan.js";
import type { SessionPrivacy } from "../core/privacy-hooks.js";
import type { StepOutcome } from "../core/step-outcome.js";
import type { Caller } from "../tools/caller.js";
import type { Tool } from "../tools/tool.js";
import { executePlan } from "./scheduler.js";

export interface RunPlanStepsInput {
  plan: Plan;
  tools: ReadonlyMap<string, Tool>;
  limits: { concurrency: number; stepTimeoutMs: number; maxResultChars: number };
  signal: AbortSignal;
  caller?: Caller;
  privacy?: SessionPrivacy;
  emit: EmitEvent;
}

/**
 * The execute stage: runs the plan's tools locally (in parallel where independent), with the
 * placeholders' real values put back just before each call, and every result (and every error
 * message, which can quote data too) registered as tainted for the egress guard.
 */
export function runPlanSteps(input: RunPlanStepsInput): Promise<StepOutcome[]> {
  const { privacy, emit } = input;
  return executePlan(input.plan, {
    tools: input.tools,
    ...input.limits,
    signal: input.signal,
    caller: input.caller,
    prepareArgs: privacy ? (args) => privacy.restore(args) : undefined,
    onStart: (step) => emit({ type: "tool-start", step }),
    onEnd: (outcome) => {
      // Error messages of failed steps carry data too (a database's "key (email)=(…)").
      privacy?.taint(outcome.step.id, outcome.status === "ok" ? outcome.output : outcome.error?.message);
      emit({ type: "tool-end", outcome });
    },
  });
}
