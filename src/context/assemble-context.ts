import type { LanguageModel } from "ai";
import { localModelError } from "../core/run-errors.js";
import type { StepOutcome } from "../core/step-outcome.js";
import type { ContextTrace, TokenUsage } from "../core/trace.js";
import {
  type BuiltContext,
  type ContextBudget,
  ContextLayout,
  leadingLinesWithin,
} from "./context-layout.js";
import { mapReduceResults, renderFacts } from "./map-reduce.js";
import type { TokenCounter } from "./token-counter.js";

export interface AssembleContextInput {
  outcomes: StepOutcome[];
  /**
   * The layout filled while the steps ran (results in the order they finished, already read by
   * the local model); without it the results are laid out here, in plan order.
   */
  layout?: ContextLayout;
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

/** An empty layout for this run: results that do not fit are left to map-reduce unless it is off. */
export function createContextLayout(
  budget: ContextBudget,
  counter: TokenCounter,
  mapReduce?: { enabled?: boolean },
): ContextLayout {
  return new ContextLayout(budget, counter, { overflow: mapReduce?.enabled === false ? "shorten" : "defer" });
}

/**
 * The context stage: lays the results out within the local model's window. When some do not fit,
 * `direct` shows a visible cut; `map-reduce` (the default) shows what fits as it is and has the
 * local model extract facts, chunk by chunk, from the rest, so nothing is cut silently. The facts
 * come after everything shown, so what the local model has read so far stays a prefix.
 */
export async function assembleContext(input: AssembleContextInput): Promise<AssembledContext> {
  const { outcomes, budget, counter } = input;
  let layout = input.layout;
  if (!layout) {
    layout = createContextLayout(budget, counter, input.mapReduce);
    for (const outcome of outcomes) layout.add(outcome);
  }
  const shown = layout.result();
  const usage = { inputTokens: 0, outputTokens: 0 };
  if (shown.overflow.length === 0 || input.mapReduce?.enabled === false) {
    return { text: shown.text, droppedSteps: shown.droppedSteps, trace: traceOf(shown), usage };
  }
  const large = shown.overflow;
  const reduced = await mapReduceResults({
    model: input.model,
    question: input.question,
    outcomes: large,
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
      includedSteps: [...shown.includedSteps, ...large.map((o) => o.step.id)],
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

function traceOf(context: BuiltContext): ContextTrace {
  return {
    includedSteps: context.includedSteps,
    droppedSteps: context.droppedSteps,
    tokens: context.tokens,
    budget: context.budget,
    strategy: "direct",
  };
}

/** Keeps whole lines while they fit, and says how many did not. */
function fitLines(text: string, budget: number, counter: TokenCounter): string {
  if (counter.count(text) <= budget) return text;
  const lines = text.split("\n");
  const { kept } = leadingLinesWithin(lines, budget, counter, 20);
  return `${lines.slice(0, kept).join("\n")}\n… ${lines.length - kept} more facts not shown: they did not fit the local model's context.`;
}
