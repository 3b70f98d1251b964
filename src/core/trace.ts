import type { EgressRecord } from "./egress-record.js";
import type { Grounding } from "./grounding.js";
import type { Plan } from "./plan.js";
import type { StepOutcome, StepStatus } from "./step-outcome.js";

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Of the input tokens, those read from a prompt cache (the provider's, or the local model's), where reported. */
  cachedInputTokens?: number;
}

export interface StepTrace {
  id: string;
  tool: string;
  /** Arguments as planned (placeholders, references), never resolved values. */
  args: Record<string, unknown>;
  status: StepStatus;
  durationMs: number;
  startedAtMs?: number;
  /** Milliseconds from the run's start until the step arrived in the planner's stream. */
  arrivedMs?: number;
  /** Milliseconds from the run's start until the step started; less than `planStream.completeMs` when it ran while the plan was still streaming. */
  startMs?: number;
  error?: { code: string; message: string };
  truncated?: boolean;
}

/** How the answer's context was assembled. */
export interface ContextTrace {
  includedSteps: string[];
  droppedSteps: string[];
  tokens: number;
  budget: number;
  strategy: "direct" | "map-reduce";
  /** Map-reduce only: chunks visited, and how many could not be read. */
  chunks?: number;
  failedChunks?: number;
}

/** The stages a run's time is reported in (milliseconds). */
export type StageName =
  | "pseudonymize"
  | "review"
  | "plan"
  | "execute"
  | "context"
  | "answer"
  | "grounding"
  | "total";

/** Everything needed to explain and audit one run. Contains no tool results. */
/** What went wrong with a planner call, in terms a user can act on (never prompt content). */
export interface PlannerFailure {
  /** `PLANNER_FAILED`, `PLANNER_TIMEOUT`, ... */
  code: string;
  message: string;
  /** The URL called (without query), when there was an HTTP call. */
  endpoint?: string;
  /** The HTTP status, when there was a response. */
  status?: number;
}

/** The cloud planner failed and the local fallback planned instead: which, and why. */
export interface PlannerFallback {
  from: string;
  to: string;
  cause: PlannerFailure;
}

/** Something the user should know about a run that still answered. */
export interface RunWarning {
  /** `planner-fallback`: the cloud planner failed and the local one planned. */
  kind: string;
  message: string;
}

export interface RunTrace {
  id: string;
  startedAt: string;
  planner: string;
  /**
   * The last user turn as the planner was given it: pseudonymized when privacy is on, so for a
   * cloud planner exactly what the cloud saw of the prompt (the egress bodies hold the rest).
   */
  plannerPrompt?: string;
  plan?: Plan;
  repairs: number;
  steps: StepTrace[];
  usage: { cloud: TokenUsage; local: TokenUsage };
  egress: EgressRecord[];
  /**
   * Earlier turns of the conversation: received with the request, sent to the planner (user
   * turns), given to the local model; the rest were dropped as the oldest.
   */
  history?: { received: number; planner: number; generator: number };
  /**
   * Milliseconds per stage: pseudonymize (includes review), review (the local model listing the
   * prompt's private spans, when privacy.localModelReview is on), plan, execute, context, answer,
   * grounding, total.
   */
  stages: Partial<Record<StageName, number>>;
  /** When each timed stage started (epoch milliseconds): span start times. */
  stageStarts?: Partial<Record<StageName, number>>;
  /** Prefill while waiting: reads of the answer prompt sent to the local model ahead of the answer, and how many failed. */
  prefill?: { reads: number; failed: number };
  /** When the plan streamed in, from the run's start: the first step usable, the whole plan validated. */
  planStream?: { firstStepMs?: number; completeMs: number; startedBeforeComplete: number };
  context?: ContextTrace;
  /** Set when the planner failed and the local fallback planned (see `warnings`). */
  plannerFallback?: PlannerFallback;
  warnings?: RunWarning[];
  /** The answer's grounding check: spans of it that neither the context nor the prompt supports. */
  grounding?: Grounding;
}

export function newRunTrace(id: string, planner: string): RunTrace {
  return {
    id,
    startedAt: new Date().toISOString(),
    planner,
    repairs: 0,
    steps: [],
    usage: { cloud: { inputTokens: 0, outputTokens: 0 }, local: { inputTokens: 0, outputTokens: 0 } },
    egress: [],
    stages: {},
  };
}

export function addUsage(into: TokenUsage, add: TokenUsage): void {
  into.inputTokens += add.inputTokens;
  into.outputTokens += add.outputTokens;
  if (add.cachedInputTokens) into.cachedInputTokens = (into.cachedInputTokens ?? 0) + add.cachedInputTokens;
}

/** The trace's view of a step: planned arguments, status and timing, never its output. */
export function stepTrace(o: StepOutcome): StepTrace {
  return {
    id: o.step.id,
    tool: o.step.tool,
    args: o.step.args,
    status: o.status,
    durationMs: Math.round(o.durationMs * 100) / 100,
    startedAtMs: o.startedAt,
    error: o.error,
    truncated: o.truncated,
  };
}

/**
 * Times one stage into `trace.stages[name]` (also when it throws, so a failed run still shows
 * where its time went). The one helper every stage of the agent is timed with.
 */
export async function timed<T>(trace: RunTrace, name: StageName, fn: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  // Wall clock, like `startedAt` and the steps' `startedAtMs` (a monotonic origin drifts from it).
  trace.stageStarts = { ...trace.stageStarts, [name]: Date.now() };
  try {
    return await fn();
  } finally {
    trace.stages[name] = performance.now() - t0;
  }
}
