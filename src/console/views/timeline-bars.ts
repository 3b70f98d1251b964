import type { StepStatus } from "../../core/step-outcome.js";
import type { RunTrace } from "../../core/trace.js";

export interface TimelineBar {
  /** `planner`, `step`, … */
  kind: "pseudonymize" | "planner" | "step" | "context" | "answer";
  label: string;
  /** Milliseconds from the start of the run. */
  startMs: number;
  durationMs: number;
  stepId?: string;
  status?: StepStatus;
}

/**
 * One bar per stage of a run, placed on a common time axis: pseudonymize, planner (with its
 * repairs), each tool step at its own start (steps overlap when they ran in parallel), context,
 * answer. Stages run one after another, so each starts where the previous ended; steps are placed
 * by their recorded wall-clock start relative to the first step. A stage that never ran (a
 * blocked or failed run) has no bar.
 */
export function timelineBars(trace: RunTrace): TimelineBar[] {
  const s = trace.stages;
  const bars: TimelineBar[] = [];
  let at = 0;
  const stage = (kind: TimelineBar["kind"], label: string, ms: number | undefined) => {
    if (ms === undefined || !Number.isFinite(ms)) return;
    bars.push({ kind, label, startMs: at, durationMs: Math.max(0, ms) });
    at += Math.max(0, ms);
  };
  stage("pseudonymize", "pseudonymize", s.pseudonymize);
  stage(
    "planner",
    trace.repairs > 0 ? `planner (${trace.repairs} repair${trace.repairs > 1 ? "s" : ""})` : "planner",
    s.plan,
  );
  const executeStart = at;
  const starts = trace.steps.map((st) => st.startedAtMs).filter((v): v is number => typeof v === "number");
  const first = starts.length ? Math.min(...starts) : undefined;
  let executeEnd = executeStart;
  for (const st of trace.steps) {
    const offset = first !== undefined && typeof st.startedAtMs === "number" ? st.startedAtMs - first : 0;
    const bar: TimelineBar = {
      kind: "step",
      label: `${st.id} ${st.tool}`,
      startMs: executeStart + offset,
      durationMs: Math.max(0, st.durationMs),
      stepId: st.id,
      status: st.status,
    };
    bars.push(bar);
    executeEnd = Math.max(executeEnd, bar.startMs + bar.durationMs);
  }
  at = s.execute !== undefined ? executeStart + s.execute : executeEnd;
  stage("context", "context", s.context);
  stage("answer", "answer", s.answer);
  return bars;
}
