import type { StepOutcome } from "./step-outcome.js";
import type { RunTrace } from "./trace.js";

export interface RunResult {
  text: string;
  /** Step ids the answer cited as [s1], [s2]. */
  citations: string[];
  steps: StepOutcome[];
  trace: RunTrace;
}
