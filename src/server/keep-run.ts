import type { RunResult } from "../core/run-result.js";
import type { RunTrace } from "../core/trace.js";
import { buildRunRecord } from "../traces/run-record.js";
import type { TraceStore } from "../traces/trace-store.js";

/** Who ran what: the part of a run record the gateway knows before the run starts. */
export interface RunContext {
  traces: TraceStore;
  userId: string;
  agent: string;
  prompt: string;
  historyTurns: number;
  /** performance.now() when the run was admitted. */
  startedAt: number;
  onError: (error: unknown) => void;
}

export type RunEnding =
  | { result: RunResult }
  | { trace: RunTrace; error: { code: string; message: string }; cancelled: boolean };

/**
 * Stores what a run left behind (finished, failed, blocked or cancelled) in the trace store. A
 * store that fails is reported, never turned into a failed request: the answer matters more than
 * its trace. A blocked run keeps no content (see `buildRunRecord`).
 */
export async function keepRun(ctx: RunContext, ending: RunEnding): Promise<void> {
  const common = {
    userId: ctx.userId,
    agent: ctx.agent,
    prompt: ctx.prompt,
    historyTurns: ctx.historyTurns,
    durationMs: performance.now() - ctx.startedAt,
  };
  const record =
    "result" in ending
      ? buildRunRecord({
          ...common,
          trace: ending.result.trace,
          answer: ending.result.text,
          citations: ending.result.citations,
        })
      : buildRunRecord({ ...common, trace: ending.trace, error: ending.error, cancelled: ending.cancelled });
  try {
    await ctx.traces.put(record);
  } catch (error) {
    ctx.onError(error);
  }
}
