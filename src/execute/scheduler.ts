import type { StepOutcome } from "../core/step-outcome.js";
import type { Plan } from "../core/plan.js";
import type { ExecuteOptions } from "./execute-options.js";
import { PlanRun } from "./plan-run.js";

export { EXECUTE_DEFAULTS, type ExecuteOptions } from "./execute-options.js";

/**
 * Runs a validated plan: every step starts as soon as the steps it refers to have succeeded,
 * up to `concurrency` at a time. A failure fails only that step; its dependents are skipped.
 * Returns outcomes in plan order. (A plan that arrives step by step runs on a `PlanRun`.)
 */
export async function executePlan(plan: Plan, options: ExecuteOptions): Promise<StepOutcome[]> {
  const run = new PlanRun(options);
  for (const step of plan.steps) run.add(step);
  run.release();
  return run.finish(plan.steps);
}
