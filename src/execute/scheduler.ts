import type { StepOutcome } from "../core/step-outcome.js";
import { setMaxListeners } from "node:events";
import { FlmError } from "../errors/flm-error.js";
import { dependenciesOf, isStepRef, type Plan, type PlanStep } from "../core/plan.js";
import type { Caller } from "../tools/caller.js";
import type { Tool } from "../tools/tool.js";
import { resolveArgs, UnresolvedRefError } from "./resolve-args.js";
import { RunCancelledError } from "../core/run-errors.js";
import { StepArgumentsError, StepTimeoutError } from "./step-errors.js";
import { truncateOutput } from "./truncate-output.js";

export interface ExecuteOptions {
  tools: ReadonlyMap<string, Tool>;
  /** Steps in flight at once. */
  concurrency?: number;
  /** Timeout for a step whose tool sets none. */
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

/**
 * Runs a validated plan: every step starts as soon as the steps it refers to have succeeded,
 * up to `concurrency` at a time. A failure fails only that step; its dependents are skipped.
 * Returns outcomes in plan order.
 */
export async function executePlan(plan: Plan, options: ExecuteOptions): Promise<StepOutcome[]> {
  const concurrency = Math.max(1, options.concurrency ?? EXECUTE_DEFAULTS.concurrency);
  const outcomes = new Map<string, StepOutcome>();
  const outputs = new Map<string, unknown>();
  const deps = new Map(plan.steps.map((s) => [s.id, dependenciesOf(s)]));
  const waiting = new Set(plan.steps);
  const running = new Map<string, Promise<void>>();
  // One listener on the caller's signal; steps listen on ours (and remove their listeners).
  const runController = new AbortController();
  setMaxListeners(0, runController.signal);
  const onCallerAbort = () => runController.abort(options.signal?.reason);
  if (options.signal?.aborted) onCallerAbort();
  else options.signal?.addEventListener("abort", onCallerAbort, { once: true });
  const stepOptions: ExecuteOptions = { ...options, signal: runController.signal };

  let callbackError: unknown;
  const finish = (outcome: StepOutcome) => {
    outcomes.set(outcome.step.id, outcome);
    if (outcome.status === "ok") outputs.set(outcome.step.id, outcome.output);
    try {
      options.onEnd?.(outcome);
    } catch (error) {
      // Remembered and rethrown once every running step has settled: no orphaned rejections.
      callbackError ??= error;
      runController.abort(error);
    }
  };

  while (waiting.size > 0 || running.size > 0) {
    for (const step of [...waiting]) {
      if (runController.signal.aborted) {
        waiting.delete(step);
        finish({
          step,
          status: "cancelled",
          durationMs: 0,
          error: errorInfo(new RunCancelledError(runController.signal.reason)),
        });
        continue;
      }
      const stepDeps = deps.get(step.id) ?? [];
      const blocker = stepDeps.map((d) => outcomes.get(d)).find((o) => o && o.status !== "ok");
      if (blocker) {
        waiting.delete(step);
        finish({
          step,
          status: "skipped",
          durationMs: 0,
          error: {
            code: "DEPENDENCY_FAILED",
            message: `skipped: it needs step ${blocker.step.id}, which ${describe(blocker)}`,
          },
        });
        continue;
      }
      if (running.size >= concurrency) break;
      if (stepDeps.every((d) => outcomes.get(d)?.status === "ok")) {
        waiting.delete(step);
        const task = runStep(step, outputs, stepOptions).then((outcome) => {
          running.delete(step.id);
          finish(outcome);
        });
        running.set(step.id, task);
      }
    }
    if (running.size > 0) await Promise.race(running.values());
    else if (waiting.size > 0 && !runController.signal.aborted) {
      // Only reachable with a cycle or a reference to a missing step, which validation rejects.
      for (const step of waiting) {
        finish({
          step,
          status: "skipped",
          durationMs: 0,
          error: { code: "DEPENDENCY_FAILED", message: "skipped: unmet dependencies" },
        });
      }
      waiting.clear();
    }
  }
  options.signal?.removeEventListener("abort", onCallerAbort);
  if (callbackError !== undefined) throw callbackError;
  return plan.steps.map((s) => outcomes.get(s.id)!);
}

/** `prepared` (a transformed copy of `original`) with every step reference of `original` put back as it was. */
function keepRefs(original: unknown, prepared: unknown): unknown {
  if (isStepRef(original)) return original;
  if (Array.isArray(original) && Array.isArray(prepared))
    return prepared.map((item, i) => keepRefs(original[i], item));
  if (isRecord(original) && isRecord(prepared))
    return Object.fromEntries(Object.entries(prepared).map(([k, v]) => [k, keepRefs(original[k], v)]));
  return prepared;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(outcome: StepOutcome): string {
  if (outcome.status === "skipped") return "was skipped";
  if (outcome.status === "timeout") return "timed out";
  if (outcome.status === "cancelled") return "was cancelled";
  return "failed";
}

async function runStep(
  step: PlanStep,
  outputs: ReadonlyMap<string, unknown>,
  options: ExecuteOptions,
): Promise<StepOutcome> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;
  const tool = options.tools.get(step.tool);
  options.onStart?.(step);
  if (!tool) {
    return {
      step,
      status: "failed",
      startedAt,
      durationMs: 0,
      error: { code: "UNKNOWN_TOOL", message: `unknown tool ${step.tool}` },
    };
  }
  let args: Record<string, unknown>;
  try {
    // Only what the planner wrote is prepared (placeholders restored); a tool result that merely
    // contains placeholder-like text ("<EMAIL_1>") must never be turned into a real value.
    const written = options.prepareArgs
      ? (keepRefs(step.args, options.prepareArgs(step.args, step)) as Record<string, unknown>)
      : step.args;
    args = resolveArgs(written, outputs) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof UnresolvedRefError) {
      return {
        step,
        status: "skipped",
        startedAt,
        durationMs: elapsed(),
        error: { code: "REF_UNRESOLVED", message: `skipped: ${error.message}` },
      };
    }
    return { step, status: "failed", startedAt, durationMs: elapsed(), error: errorInfo(error) };
  }
  const { value, issues } = tool.validate(args);
  if (issues.length > 0) {
    const message = `arguments invalid after filling in references: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`;
    return {
      step,
      status: "failed",
      startedAt,
      durationMs: elapsed(),
      args,
      error: errorInfo(new StepArgumentsError(message)),
    };
  }

  const timeoutMs = tool.timeoutMs ?? options.stepTimeoutMs ?? EXECUTE_DEFAULTS.stepTimeoutMs;
  const controller = new AbortController();
  // Errors are created only when they happen: capturing a stack trace per step is not free.
  const timer = setTimeout(() => controller.abort(new StepTimeoutError(tool.name, timeoutMs)), timeoutMs);
  const onRunAbort = () => controller.abort(new RunCancelledError(options.signal?.reason));
  options.signal?.addEventListener("abort", onRunAbort, { once: true });
  if (options.signal?.aborted) onRunAbort();
  try {
    // Race the tool against the abort, so a tool that ignores its signal cannot hold the run.
    const aborted = new Promise<never>((_, reject) => {
      if (controller.signal.aborted) reject(controller.signal.reason);
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
    });
    const output = await Promise.race([
      tool.run(value, { signal: controller.signal, caller: options.caller, stepId: step.id }),
      aborted,
    ]);
    const capped = truncateOutput(output, options.maxResultChars ?? EXECUTE_DEFAULTS.maxResultChars);
    return {
      step,
      status: "ok",
      startedAt,
      durationMs: elapsed(),
      args,
      output: capped.output,
      truncated: capped.truncated || undefined,
    };
  } catch (error) {
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    const status =
      reason instanceof StepTimeoutError
        ? "timeout"
        : reason instanceof RunCancelledError
          ? "cancelled"
          : "failed";
    return { step, status, startedAt, durationMs: elapsed(), args, error: errorInfo(reason) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onRunAbort);
  }
}

function errorInfo(error: unknown): { code: string; message: string } {
  if (FlmError.isInstance(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: "TOOL_FAILED", message: message.slice(0, 500) };
}
