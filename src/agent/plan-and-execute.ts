import type { EmitEvent } from "../core/events.js";
import type { Plan, PlanStep } from "../core/plan.js";
import type { SessionPrivacy } from "../core/privacy-hooks.js";
import type { StepOutcome } from "../core/step-outcome.js";
import { addUsage, type RunTrace, stepTrace, timed } from "../core/trace.js";
import type { PlanRun } from "../execute/plan-run.js";
import { type StepRunInput, startPlanRun } from "../execute/run-plan-steps.js";
import { type PlanWithRepairsInput, planWithRepairs } from "../plan/plan-with-repairs.js";
import type { Tool } from "../tools/tool.js";

export interface PlanAndExecuteInput {
  plan: Omit<PlanWithRepairsInput, "onStep" | "onRepair" | "tools" | "signal" | "privacy">;
  tools: ReadonlyMap<string, Tool>;
  steps: Omit<StepRunInput, "tools" | "signal" | "privacy" | "emit" | "startInfo">;
  privacy?: SessionPrivacy;
  signal: AbortSignal;
  emit: EmitEvent;
  trace: RunTrace;
  /** `performance.now()` when the run began: event and trace times are relative to it. */
  t0: number;
  /** Start steps while the planner's reply is still streaming (else once the plan is whole). */
  streamPlan: boolean;
  /**
   * Called when a run starts for a planner call (a repair or a fallback starts another): returns
   * where that run's outcomes go as they settle (the answer's context, laid out meanwhile).
   */
  onRun?: (call: number) => ((outcome: StepOutcome) => void) | undefined;
}

/**
 * Plan and execute, overlapped (as LLMCompiler does): a step starts as soon as it has streamed in,
 * passed its own checks and its inputs are done, while the planner is still writing the rest.
 * Steps of tools with side effects wait until the whole plan is validated. When the whole plan
 * turns out invalid, the repaired plan's run takes over the steps that already ran unchanged, so
 * nothing runs twice; steps the repaired plan dropped finish unused. Only the plan as a whole is
 * validated, exactly as without streaming, and the planner never sees a result.
 */
export async function planAndExecute(
  input: PlanAndExecuteInput,
): Promise<{ plan: Plan; outcomes: StepOutcome[]; call: number }> {
  const { trace, emit, tools } = input;
  const since = () => performance.now() - input.t0;
  const arrived = new Map<string, number>();
  const started = new Map<string, number>();
  let planning = true;
  const stepInput: StepRunInput = {
    ...input.steps,
    tools,
    signal: input.signal,
    privacy: input.privacy,
    emit,
    startInfo: (step) => {
      const atMs = since();
      started.set(step.id, atMs);
      return { atMs, planning };
    },
  };
  const held = (step: PlanStep) => tools.get(step.tool)?.sideEffects === true;
  const retired: PlanRun[] = [];
  let run: PlanRun | undefined;
  let runCall = -1;
  /** The run for one planner call: a new call (a repair, a fallback) takes over from the last. */
  const runFor = (call: number): PlanRun => {
    if (!run || call !== runCall) {
      const reuse = run?.retire();
      if (run) retired.push(run);
      run = startPlanRun(stepInput, reuse, input.onRun?.(call));
      runCall = call;
    }
    return run;
  };

  let planned: Awaited<ReturnType<typeof planWithRepairs>>;
  try {
    planned = await timed(trace, "plan", () =>
      planWithRepairs({
        ...input.plan,
        tools,
        signal: input.signal,
        privacy: input.privacy,
        onRepair: (attempt, issues) =>
          emit({ type: "repair", attempt, errors: issues.map((i) => i.message) }),
        onStep: input.streamPlan
          ? (step, call) => {
              const atMs = since();
              if (!arrived.has(step.id)) arrived.set(step.id, atMs);
              emit({ type: "plan-step", step, atMs });
              runFor(call).add(step, { held: held(step) });
            }
          : undefined,
      }),
    );
  } catch (error) {
    // No valid plan: nothing that started may keep running.
    await Promise.all([run, ...retired].map((r) => r?.cancel(error)));
    throw error;
  }
  planning = false;
  const completeMs = since();
  Object.assign(trace, { planner: planned.planner, repairs: planned.repairs, plan: planned.plan });
  addUsage(trace.usage.cloud, planned.usage.cloud);
  addUsage(trace.usage.local, planned.usage.local);
  emit({ type: "plan", plan: planned.plan, planner: planned.planner, repairs: planned.repairs });

  const final = runFor(planned.call);
  for (const step of planned.plan.steps) final.add(step, { held: held(step) });
  final.release();
  const outcomes = await timed(trace, "execute", () => final.finish(planned.plan.steps));
  // Steps a repair dropped: stop what is left of them (what the final run took over has settled).
  for (const r of retired) void r.cancel();

  trace.steps = outcomes.map((o) => ({
    ...stepTrace(o),
    arrivedMs: round(arrived.get(o.step.id)),
    startMs: round(started.get(o.step.id)),
  }));
  const first = Math.min(...arrived.values());
  trace.planStream = {
    ...(arrived.size ? { firstStepMs: round(first) } : {}),
    completeMs: round(completeMs)!,
    startedBeforeComplete: [...started.values()].filter((t) => t < completeMs).length,
  };
  return { plan: planned.plan, outcomes, call: planned.call };
}

const round = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms * 100) / 100);
