import type { Grounding } from "./grounding.js";
import type { StepOutcome } from "./step-outcome.js";
import type { RunTrace } from "./trace.js";

export interface RunResult {
  text: string;
  /** Step ids the answer cited as [s1], [s2]. */
  citations: string[];
  steps: StepOutcome[];
  trace: RunTrace;
  /** Numbers, dates, names, identifiers and citations of the answer that the context does not support. */
  grounding?: Grounding;
}
