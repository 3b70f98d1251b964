export interface AgentLimits {
  /** Most steps a plan may have. */
  maxSteps: number;
  /** Repair rounds after an invalid plan before the run fails. */
  maxRepairs: number;
  /** Tool calls in flight at once. */
  concurrency: number;
  stepTimeoutMs: number;
  plannerTimeoutMs: number;
  answerTimeoutMs: number;
  /** Results larger than this many JSON characters are cut with a visible marker. */
  maxResultChars: number;
}

export const DEFAULT_LIMITS: AgentLimits = {
  maxSteps: 20,
  maxRepairs: 2,
  concurrency: 8,
  stepTimeoutMs: 30_000,
  plannerTimeoutMs: 60_000,
  answerTimeoutMs: 120_000,
  maxResultChars: 50_000,
};
