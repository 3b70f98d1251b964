import type { Plan, PlanStep } from "../core/plan.js";
import type { Tool } from "../tools/tool.js";
import { type ValidatePlanOptions, validatePlan } from "./validate-plan.js";

/**
 * Whether a step that has just streamed in may start before the rest of the plan arrives: the
 * plan so far is within the step limit, and the step passes every check the whole plan will get
 * (known tool, arguments, placeholders, a fresh id) with its references pointing to steps already
 * written. A step that refers to one not written yet waits for the whole plan, like any step that
 * fails a check now: only the whole plan is validated (and repaired) in the end.
 */
export function streamedStepReady(
  step: PlanStep,
  earlier: readonly PlanStep[],
  tools: ReadonlyMap<string, Tool>,
  options: ValidatePlanOptions,
): boolean {
  if (earlier.length + 1 > options.maxSteps) return false;
  const plan: Plan = { steps: [...earlier, step], mode: "json" };
  return !validatePlan(plan, tools, options).some((issue) => issue.stepId === step.id || !issue.stepId);
}
