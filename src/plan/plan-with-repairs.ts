import { withPurpose } from "../core/run-scope.js";
import { RunCancelledError } from "../core/run-errors.js";
import type { Plan, PlanStep } from "../core/plan.js";
import type { SessionPrivacy } from "../core/privacy-hooks.js";
import { addUsage, type TokenUsage } from "../core/trace.js";
import { FlmError } from "../errors/flm-error.js";
import type { Tool } from "../tools/tool.js";
import { parsePlan, type RawPlannerOutput } from "./parse-plan.js";
import type { PlannerFallback } from "../core/trace.js";
import {
  bareMessage,
  PlannerError,
  plannerFailure,
  type PlanIssue,
  PlanValidationError,
} from "./plan-errors.js";
import type { Planner, PlannerReply, PlanRequest } from "./planner.js";
import { streamedStepReady } from "./streamed-step.js";
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
  /**
   * Reads the planner's reply as a stream: each step that may start before the rest of the plan
   * arrives (see streamed-step.ts) is handed over at once, with the number of the planner call it
   * came from (0, 1, ... across repairs and a fallback). The whole plan is still validated.
   */
  onStep?: (step: PlanStep, call: number) => void;
  /** Called when the planner failed and the fallback takes over (before it is asked). */
  onFallback?: (fallback: PlannerFallback) => void | Promise<void>;
}

export type { PlannerFallback };

export interface PlannedResult {
  plan: Plan;
  /** The planner call whose reply is the plan (the `call` its streamed steps came with). */
  call: number;
  /** The planner that produced the plan (the fallback, if it took over). */
  planner: string;
  repairs: number;
  usage: { cloud: TokenUsage; local: TokenUsage };
  /** Set when the planner failed and the fallback planned instead. */
  fallback?: PlannerFallback;
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
  let call = -1;
  let fallback: PlannerFallback | undefined;
  const checks = {
    maxSteps: limits.maxSteps,
    checkString: privacy ? (v: string) => privacy.checkPlanString(v) : undefined,
  };
  /** The onStep of one planner call: the steps it streams, checked against those before them. */
  const streamTo = (n: number) => {
    const onStep = input.onStep;
    if (!onStep) return undefined;
    const arrived: PlanStep[] = [];
    return (step: PlanStep) => {
      if (streamedStepReady(step, arrived, input.tools, checks)) onStep(step, n);
      arrived.push(step);
    };
  };
  const ask = (purpose: string): Promise<PlannerReply> =>
    callPlanner(active, request, purpose, signal, limits.plannerTimeoutMs, streamTo(++call)).catch(
      async (error) => {
        if (fallback) throw fallbackFailed(fallback, error);
        // Fall back to the local planner when the cloud is unreachable; never on a privacy block.
        if (
          !input.fallbackPlanner ||
          active === input.fallbackPlanner ||
          !isUnreachable(error) ||
          signal.aborted
        )
          throw error;
        fallback = { from: active.name, to: input.fallbackPlanner.name, cause: plannerFailure(error) };
        await input.onFallback?.(fallback);
        active = input.fallbackPlanner;
        return callPlanner(active, request, purpose, signal, limits.plannerTimeoutMs, streamTo(++call)).catch(
          (e) => {
            throw fallbackFailed(fallback!, e);
          },
        );
      },
    );
  for (let attempt = 0; attempt <= limits.maxRepairs; attempt++) {
    const reply = await ask(attempt === 0 ? "plan" : "repair");
    // The planner's own reply came from the cloud: echoing it in a repair request leaks nothing.
    privacy?.markPublic([rawText(reply.raw)]);
    addUsage(active.location === "cloud" ? usage.cloud : usage.local, reply.usage);
    const parsed = parsePlan(reply.raw);
    issues = parsed.plan ? validatePlan(parsed.plan, input.tools, checks) : parsed.issues;
    if (parsed.plan && issues.length === 0)
      return { plan: parsed.plan, call, planner: active.name, repairs: attempt, usage, fallback };
    if (attempt < limits.maxRepairs) {
      input.onRepair?.(attempt + 1, issues);
      request = { ...request, repair: { previous: reply.raw, issues } };
    }
  }
  const invalid = new PlanValidationError(issues, limits.maxRepairs + 1);
  // The real cause is the planner that failed, not what the small fallback model wrote.
  if (fallback) throw fallbackFailed(fallback, invalid);
  throw invalid;
}

/**
 * `PLANNER_FAILED` naming the first failure (endpoint, status or error), that the run fell back,
 * and what the fallback did.
 */
function fallbackFailed(fallback: PlannerFallback, error: unknown): PlannerError {
  const then = PlanValidationError.isInstance(error)
    ? `whose plan was ${bareMessage(error)
        .replace(/^The planner's plan was /, "")
        .replace(/\.$/, "")}`
    : `which failed too: ${bareMessage(error)}`;
  const { cause } = fallback;
  return new PlannerError(
    `${cause.message.replace(/\.$/, "")}. flm fell back to the local planner ${fallback.to}, ${then}.`,
    {
      code: "PLANNER_FAILED",
      cause: error,
      endpoint: cause.endpoint,
      status: cause.status,
      fallbackFrom: { planner: fallback.from, failure: cause },
      hint:
        cause.status === 401 || cause.status === 403
          ? "Check the cloud planner's API key; the local fallback is only a stopgap."
          : "Check the cloud planner's endpoint and that the service is up; the local fallback is only a stopgap.",
    },
  );
}

/**
 * One planner call under the planner timeout, labelled for the egress record. A planner that is
 * rate limited (PLANNER_RATE_LIMITED) has already waited what fits in the timeout: it does not
 * fall back to the local planner, the caller gets the typed error and its retry-after.
 */
async function callPlanner(
  planner: Planner,
  request: PlanRequest,
  purpose: string,
  signal: AbortSignal,
  timeoutMs: number,
  onStep?: (step: PlanStep) => void,
): Promise<PlannerReply> {
  const deadline = Date.now() + timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = AbortSignal.any([signal, timeout]);
  try {
    return await withPurpose(purpose, () => planner.plan(request, { signal: combined, onStep, deadline }));
  } catch (error) {
    if (timeout.aborted && !signal.aborted) {
      throw new PlannerError(`The planner ${planner.name} did not answer within ${timeoutMs} ms.`, {
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
