import { withPurpose } from "../core/run-scope.js";
import { RunCancelledError } from "../core/run-errors.js";
import type { Plan } from "../core/plan.js";
import type { SessionPrivacy } from "../core/privacy-hooks.js";
import { addUsage, type TokenUsage } from "../core/trace.js";
import { FlmError } from "../errors/flm-error.js";
import type { Tool } from "../tools/tool.js";
import { parsePlan, type RawPlannerOutput } from "./parse-plan.js";
import { PlannerError, type PlanIssue, PlanValidationError } from "./plan-errors.js";
import type { Planner, PlannerReply, PlanRequest } from "./planner.js";
import { validatePlan } from "./validate-plan.js";

export interface PlanWithRepairsInput {
  planner: Planner;
  /** Used when the planner is unreachable or times out (typically a local model); never on a privacy block. */
  fallbackPlanner?: Planner;
  request: PlanRequest;
  tools: ReadonlyMap<string, Tool>;
  limits: { maxSteps: number; maxRepairs: number; plannerTimeoutMs: number };
  signal: AbortSignal;
  privacy?: SessionPrivacy;
  /** Called before each repair round with what was wrong. */
  onRepair?: (attempt: number, issues: PlanIssue[]) => void;
}

export interface PlannedResult {
  plan: Plan;
  /** The planner that produced the plan (the fallback, if it took over). */
  planner: string;
  repairs: number;
  usage: { cloud: TokenUsage; local: TokenUsage };
}

/**
 * The plan stage: asks the planner, validates the reply against the tools (and the privacy
 * vault's placeholders), and on issues asks again with the issues, up to `maxRepairs` times.
 * Repair messages are built from the plan and the tool schemas only, never from tool results.
 */
export async function planWithRepairs(input: PlanWithRepairsInput): Promise<PlannedResult> {
  const { limits, signal, privacy } = input;
  const usage = { cloud: { inputTokens: 0, outputTokens: 0 }, local: { inputTokens: 0, outputTokens: 0 } };
  let active = input.planner;
  let request = input.request;
  let issues: PlanIssue[] = [];
  const ask = (purpose: string): Promise<PlannerReply> =>
    callPlanner(active, request, purpose, signal, limits.plannerTimeoutMs).catch(async (error) => {
      // Fall back to the local planner when the cloud is unreachable; never on a privacy block.
      if (
        !input.fallbackPlanner ||
        active === input.fallbackPlanner ||
        !isUnreachable(error) ||
        signal.aborted
      )
        throw error;
      active = input.fallbackPlanner;
      return callPlanner(active, request, purpose, signal, limits.plannerTimeoutMs);
    });
  for (let attempt = 0; attempt <= limits.maxRepairs; attempt++) {
    const reply = await ask(attempt === 0 ? "plan" : "repair");
    // The planner's own reply came from the cloud: echoing it in a repair request leaks nothing.
    privacy?.markPublic([rawText(reply.raw)]);
    addUsage(active.location === "cloud" ? usage.cloud : usage.local, reply.usage);
    const parsed = parsePlan(reply.raw);
    issues = parsed.plan
      ? validatePlan(parsed.plan, input.tools, {
          maxSteps: limits.maxSteps,
          checkString: privacy ? (v) => privacy.checkPlanString(v) : undefined,
        })
      : parsed.issues;
    if (parsed.plan && issues.length === 0)
      return { plan: parsed.plan, planner: active.name, repairs: attempt, usage };
    if (attempt < limits.maxRepairs) {
      input.onRepair?.(attempt + 1, issues);
      request = { ...request, repair: { previous: reply.raw, issues } };
    }
  }
  throw new PlanValidationError(issues, limits.maxRepairs + 1);
}

/** One planner call under the planner timeout, labelled for the egress record. */
async function callPlanner(
  planner: Planner,
  request: PlanRequest,
  purpose: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<PlannerReply> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = AbortSignal.any([signal, timeout]);
  try {
    return await withPurpose(purpose, () => planner.plan(request, { signal: combined }));
  } catch (error) {
    if (timeout.aborted && !signal.aborted) {
      throw new PlannerError(`The planner did not answer within ${timeoutMs} ms.`, {
        code: "PLANNER_TIMEOUT",
        cause: error,
        hint: "Check the planner endpoint, raise plannerTimeoutMs, or configure a local fallback planner.",
      });
    }
    if (signal.aborted) throw new RunCancelledError(signal.reason);
    throw error;
  }
}

function rawText(raw: RawPlannerOutput): string {
  return raw.kind === "text" ? raw.text : JSON.stringify(raw.calls);
}

function isUnreachable(error: unknown): boolean {
  return FlmError.isInstance(error) && (error.code === "PLANNER_FAILED" || error.code === "PLANNER_TIMEOUT");
}
