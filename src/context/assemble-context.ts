import type { LanguageModel } from "ai";
import { localModelError } from "../core/run-errors.js";
import type { StepOutcome } from "../core/step-outcome.js";
import type { ContextTrace, TokenUsage } from "../core/trace.js";
import { type BuiltContext, buildContext, type ContextBudget, leadingLinesWithin } from "./build-context.js";
import { mapReduceResults, renderFacts } from "./map-reduce.js";
import type { TokenCounter } from "./token-counter.js";

export interface AssembleContextInput {
  outcomes: StepOutcome[];
  /** The user's question (map-reduce extracts what is relevant to it). */
  question: string;
  budget: ContextBudget;
  counter: TokenCounter;
  /** The local model, for map-reduce over results too large to show. */
  model: LanguageModel;
  /** `enabled: false` shows a cut instead of extracting facts; `parallel`: chunks at once. */
  mapReduce?: { enabled?: boolean; parallel?: number };
  signal: AbortSignal;
}

export interface AssembledContext {
  text: string;
  /** Steps whose results are not (fully) in the text; the answer prompt names them. */
  droppedSteps: string[];
  trace: ContextTrace;
  /** Local tokens map-reduce spent. */
  usage: TokenUsage;
}

/**
 * The context stage: lays the results out within the local model's window. When some do not fit,
 * `direct` shows a visible cut; `map-reduce` (the default) shows what fits as it is and has the
 * local model extract facts, chunk by chunk, from the rest, so nothing is cut silently.
 */
export async function assembleContext(input: AssembleContextInput): Promise<AssembledContext> {
  const { outcomes, budget, counter } = input;
  const context = buildContext(outcomes, budget, counter);
  const usage = { inputTokens: 0, outputTokens: 0 };
  if (context.overflow.length === 0 || input.mapReduce?.enabled === false) {
    return {
      text: context.text,
      droppedSteps: context.droppedSteps,
      trace: traceOf(context, "direct"),
      usage,
    };
  }
  // Show what fits as it is; extract facts from the rest.
  const large = new Set<string>();
  let shown = context;
  while (shown.overflow.length > 0) {
    for (const o of shown.overflow) large.add(o.step.id);
    shown = buildContext(
      outcomes.filter((o) => !large.has(o.step.id)),
      budget,
      counter,
    );
  }
  const reduced = await mapReduceResults({
    model: input.model,
    question: input.question,
    outcomes: outcomes.filter((o) => large.has(o.step.id)),
    chunkTokens: Math.max(
      64,
      budget.contextWindow - budget.answerReserve - counter.count(input.question) - 160,
    ),
    counter,
    signal: input.signal,
    parallel: input.mapReduce?.parallel ?? 1,
    maxOutputTokens: budget.answerReserve,
  }).catch((error) => {
    throw localModelError(error, input.signal, "while reading large results");
  });
  const facts = fitLines(
    renderFacts(reduced.facts, reduced.failedChunks),
    shown.budget - shown.tokens - 16,
    counter,
  );
  const text = [shown.text, `Facts extracted from results too large to show in full:\n${facts}`]
    .filter(Boolean)
    .join("\n\n");
  return {
    text,
    droppedSteps: [],
    trace: {
      includedSteps: [...shown.includedSteps, ...large],
      droppedSteps: [],
      tokens: counter.count(text),
      budget: shown.budget,
      strategy: "map-reduce",
      chunks: reduced.chunks,
      failedChunks: reduced.failedChunks.length,
    },
    usage: reduced.usage,
  };
}

function traceOf(context: BuiltContext, strategy: "direct"): ContextTrace {
  return {
    includedSteps: context.includedSteps,
    droppedSteps: context.droppedSteps,
    tokens: context.tokens,
    budget: context.budget,
    strategy,
  };
}

/** Keeps whole lines while they fit, and says how many did not. */
function fitLines(text: string, budget: number, counter: TokenCounter): string {
  if (counter.count(text) <= budget) return text;
  const lines = text.split("\n");
  const { kept } = leadingLinesWithin(lines, budget, counter, 20);
  return `${lines.slice(0, kept).join("\n")}\n… ${lines.length - kept} more facts not shown: they did not fit the local model's context.`;
}
