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
  /**
   * Earlier turns of a conversation a run takes along (the most recent ones; older ones are
   * dropped): user turns to the planner, user and assistant turns to the local model.
   */
  maxHistoryTurns: number;
  /** Characters of those earlier turns, in all (each turn cut at 2,000 for the planner). */
  maxHistoryChars: number;
}

export const DEFAULT_LIMITS: AgentLimits = {
  maxSteps: 20,
  maxRepairs: 2,
  concurrency: 8,
  stepTimeoutMs: 30_000,
  plannerTimeoutMs: 60_000,
  answerTimeoutMs: 120_000,
  maxResultChars: 50_000,
  maxHistoryTurns: 40,
  maxHistoryChars: 16_000,
};
