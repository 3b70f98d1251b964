import type { PlanStep } from "./plan.js";

export type StepStatus = "ok" | "failed" | "timeout" | "skipped" | "cancelled";

/** What running one plan step produced. */
export interface StepOutcome {
  step: PlanStep;
  status: StepStatus;
  /** Arguments after references and placeholders were filled in locally. Never leaves the building. */
  args?: Record<string, unknown>;
  /** Present when status is ok. Never leaves the building. */
  output?: unknown;
  /** Why it failed or was skipped (no data from other steps in it). */
  error?: { code: string; message: string };
  startedAt?: number;
  durationMs: number;
  /** True when the output was cut to the configured cap (a visible marker is in the context). */
  truncated?: boolean;
}
