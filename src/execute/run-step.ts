import {
  cutDeeperThan,
  describeShapeProblem,
  jsonShapeProblem,
  PLAN_ARGS_BOUNDS,
  TOOL_OUTPUT_MAX_DEPTH,
} from "../core/json-shape.js";
import { isStepRef, type PlanStep } from "../core/plan.js";
import { RunCancelledError } from "../core/run-errors.js";
import type { StepOutcome } from "../core/step-outcome.js";
import { FlmError } from "../errors/flm-error.js";
import type { Tool } from "../tools/tool.js";
import { EXECUTE_DEFAULTS, type ExecuteOptions } from "./execute-options.js";
import { resolveArgs, UnresolvedRefError } from "./resolve-args.js";
import { StepArgumentsError, StepTimeoutError } from "./step-errors.js";
import { truncateOutput } from "./truncate-output.js";

/**
 * Runs one step whose dependencies have succeeded: fills in references (and placeholders, via
 * `prepareArgs`), checks the arguments again, and calls the tool under its timeout and the
 * run's signal. Never throws: every way it can end is an outcome.
 */
export async function runStep(
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
  // Library callers may run plans nobody validated: nothing walks arguments deeper than the bound.
  const shape = jsonShapeProblem(step.args, PLAN_ARGS_BOUNDS);
  if (shape) {
    const error = new StepArgumentsError(`arguments ${describeShapeProblem(shape)} are refused`);
    return { step, status: "failed", startedAt, durationMs: elapsed(), error: errorInfo(error) };
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

  return callTool(step, tool, value, args, options, { startedAt, elapsed });
}

/** Calls the tool with its checked arguments, under the step timeout and the run's signal. */
async function callTool(
  step: PlanStep,
  tool: Tool,
  value: unknown,
  args: Record<string, unknown>,
  options: ExecuteOptions,
  { startedAt, elapsed }: { startedAt: number; elapsed: () => number },
): Promise<StepOutcome> {
  // The step timeout caps every tool; a tool's own timeout can only shorten it.
  const timeoutMs = Math.min(
    tool.timeoutMs ?? Number.POSITIVE_INFINITY,
    options.stepTimeoutMs ?? EXECUTE_DEFAULTS.stepTimeoutMs,
  );
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
      tool.run(value, { signal: controller.signal, caller: options.caller, stepId: step.id, timeoutMs }),
      aborted,
    ]);
    // Before anything walks it (size cap, taint index, context): parts nested too deep are cut.
    const bounded = cutDeeperThan(output, TOOL_OUTPUT_MAX_DEPTH);
    const capped = truncateOutput(bounded.value, options.maxResultChars ?? EXECUTE_DEFAULTS.maxResultChars);
    return {
      step,
      status: "ok",
      startedAt,
      durationMs: elapsed(),
      args,
      output: capped.output,
      truncated: capped.truncated || bounded.cut > 0 || undefined,
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

export function errorInfo(error: unknown): { code: string; message: string } {
  if (FlmError.isInstance(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: "TOOL_FAILED", message: message.slice(0, 500) };
}
