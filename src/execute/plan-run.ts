import { setMaxListeners } from "node:events";
import type { StepOutcome } from "../core/step-outcome.js";
import { dependenciesOf, type PlanStep } from "../core/plan.js";
import { RunCancelledError } from "../core/run-errors.js";
import { type ExecuteOptions, EXECUTE_DEFAULTS } from "./execute-options.js";
import { errorInfo, runStep } from "./run-step.js";

/** A step of an earlier attempt at the same plan, which a repaired plan may take over. */
export interface StartedStep {
  step: PlanStep;
  outcome: Promise<StepOutcome>;
}

export interface PlanRunOptions extends ExecuteOptions {
  /** Steps an earlier attempt already started: the same step (id, tool, arguments) is not run again. */
  reuse?: ReadonlyMap<string, StartedStep>;
  /**
   * Every outcome of this run's plan as it settles, taken-over steps included (`onEnd` reports
   * only the steps this run ran); not the steps a retired run never started.
   */
  onSettled?: (outcome: StepOutcome) => void;
}

interface Entry {
  step: PlanStep;
  deps: string[];
  held: boolean;
  outcome?: StepOutcome;
  promise?: Promise<StepOutcome>;
  reused?: boolean;
  /** Never started here: the plan was repaired first (no report, no outcome for anyone). */
  dropped?: boolean;
}

/**
 * Runs a plan whose steps arrive one by one (as the planner streams them). Each step starts as
 * soon as it has been added, the steps it refers to have succeeded, and, for a step `held` back
 * (a tool with side effects), the whole plan has been validated (`release`). Up to `concurrency`
 * run at once, in the order added. A failure fails only its step; its dependents are skipped.
 */
export class PlanRun {
  private readonly entries = new Map<string, Entry>();
  private readonly order: Entry[] = [];
  private readonly outputs = new Map<string, unknown>();
  private readonly controller = new AbortController();
  private readonly concurrency: number;
  private readonly stepOptions: ExecuteOptions;
  private running = 0;
  private released = false;
  private closed = false;
  private retired = false;
  private callbackError: unknown;
  private pumping = false;
  private again = false;
  private done?: Promise<void>;
  private settled?: () => void;
  private readonly onCallerAbort = () => this.controller.abort(this.options.signal?.reason);

  constructor(private readonly options: PlanRunOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? EXECUTE_DEFAULTS.concurrency);
    setMaxListeners(0, this.controller.signal);
    if (options.signal?.aborted) this.onCallerAbort();
    else options.signal?.addEventListener("abort", this.onCallerAbort, { once: true });
    // Steps listen on the run's own signal (one listener on the caller's), and remove theirs.
    this.stepOptions = { ...options, signal: this.controller.signal };
  }

  /** The run's signal: aborted on cancellation, a failing callback, or the caller's signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Adds a step (a later step with the same id is ignored: validation reports duplicates). */
  add(step: PlanStep, options: { held?: boolean } = {}): void {
    if (this.closed || this.entries.has(step.id)) return;
    const entry: Entry = { step, deps: dependenciesOf(step), held: options.held ?? false };
    this.entries.set(step.id, entry);
    this.order.push(entry);
    this.pump();
  }

  /** The whole plan is valid: held steps may start. */
  release(): void {
    this.released = true;
    this.pump();
  }

  /**
   * Hands over to a repaired plan's run: no further step starts here (waiting ones end as
   * cancelled, unreported); the steps already started (running or done) are returned for the
   * new run to take over when its plan has the same step. Running ones keep running.
   */
  retire(): Map<string, StartedStep> {
    this.retired = true;
    this.pump();
    return this.started();
  }

  /** Steps started so far (running or done), for a repaired plan to take over. */
  started(): Map<string, StartedStep> {
    const out = new Map<string, StartedStep>();
    for (const e of this.order) if (e.promise) out.set(e.step.id, { step: e.step, outcome: e.promise });
    return out;
  }

  /**
   * No more steps will come. Steps still waiting for a step that never came are skipped.
   * Resolves once everything has settled, with the outcomes of `steps` (default: in added order).
   */
  async finish(steps?: readonly PlanStep[]): Promise<StepOutcome[]> {
    this.closed = true;
    this.done ??= new Promise<void>((resolve) => {
      this.settled = resolve;
    });
    this.pump();
    await this.done;
    this.options.signal?.removeEventListener("abort", this.onCallerAbort);
    if (this.callbackError !== undefined) throw this.callbackError;
    return (steps ?? this.order.map((e) => e.step)).map((s) => this.entries.get(s.id)!.outcome!);
  }

  /** Cancels every running and waiting step, and waits for them to settle. */
  async cancel(reason?: unknown): Promise<void> {
    this.controller.abort(reason ?? new RunCancelledError());
    await this.finish().catch(() => {});
  }

  private pump(): void {
    // Settling a step pumps again: run the loop once more instead of nesting it.
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        this.pumpOnce();
      } while (this.again);
    } finally {
      this.pumping = false;
    }
    if (this.closed && this.order.every((e) => e.outcome)) this.settled?.();
  }

  private pumpOnce(): void {
    for (const entry of this.order) {
      if (entry.outcome || entry.promise) continue;
      if (this.retired) {
        entry.dropped = true; // not reported: the repaired plan's run reports what it runs
        this.settle(entry, {
          step: entry.step,
          status: "cancelled",
          durationMs: 0,
          error: { code: "RUN_CANCELLED", message: "not started: the plan was repaired" },
        });
        continue;
      }
      if (this.controller.signal.aborted) {
        this.settle(entry, {
          step: entry.step,
          status: "cancelled",
          durationMs: 0,
          error: errorInfo(new RunCancelledError(this.controller.signal.reason)),
        });
        continue;
      }
      const reused = this.reusable(entry);
      if (reused) {
        this.start(entry, reused.outcome, true);
        continue;
      }
      const deps = entry.deps.map((d) => this.entries.get(d));
      const blocker = deps.find((d) => d?.outcome && d.outcome.status !== "ok");
      if (blocker) {
        this.settle(entry, {
          step: entry.step,
          status: "skipped",
          durationMs: 0,
          error: {
            code: "DEPENDENCY_FAILED",
            message: `skipped: it needs step ${blocker.step.id}, which ${describe(blocker.outcome!)}`,
          },
        });
        continue;
      }
      if (this.closed && deps.some((d) => !d)) {
        // Only reachable with a reference to a step that never came, which validation rejects.
        this.settle(entry, {
          step: entry.step,
          status: "skipped",
          durationMs: 0,
          error: { code: "DEPENDENCY_FAILED", message: "skipped: unmet dependencies" },
        });
        continue;
      }
      if (this.running >= this.concurrency) continue;
      if (entry.held && !this.released) continue;
      if (deps.every((d) => d?.outcome?.status === "ok"))
        this.start(entry, runStep(entry.step, this.outputs, this.stepOptions), false);
    }
  }

  /** The earlier attempt's run of this very step, when its inputs are the same too. */
  private reusable(entry: Entry): StartedStep | undefined {
    const earlier = this.options.reuse?.get(entry.step.id);
    if (!earlier || !sameStep(earlier.step, entry.step)) return undefined;
    return entry.deps.every((d) => this.entries.get(d)?.reused) ? earlier : undefined;
  }

  private start(entry: Entry, promise: Promise<StepOutcome>, reused: boolean): void {
    entry.promise = promise;
    entry.reused = reused;
    this.running++;
    void promise.then((outcome) => {
      this.running--;
      this.settle(entry, outcome);
    });
  }

  private settle(entry: Entry, outcome: StepOutcome): void {
    entry.outcome = outcome;
    if (outcome.status === "ok") this.outputs.set(entry.step.id, outcome.output);
    try {
      if (!entry.reused && !entry.dropped) this.options.onEnd?.(outcome);
      if (!entry.dropped) this.options.onSettled?.(outcome);
    } catch (error) {
      // Remembered and rethrown once every running step has settled: no orphaned rejections.
      this.callbackError ??= error;
      this.controller.abort(error);
    }
    this.pump();
  }
}

function sameStep(a: PlanStep, b: PlanStep): boolean {
  return a.id === b.id && a.tool === b.tool && JSON.stringify(a.args) === JSON.stringify(b.args);
}

function describe(outcome: StepOutcome): string {
  if (outcome.status === "skipped") return "was skipped";
  if (outcome.status === "timeout") return "timed out";
  if (outcome.status === "cancelled") return "was cancelled";
  return "failed";
}
