import { generateText, type LanguageModel } from "ai";
import type { ChatTurn } from "../core/chat-turn.js";
import { recentTurns } from "../core/history-window.js";
import type { EmitEvent } from "../core/events.js";
import { GeneratorError, localModelError, RunCancelledError } from "../core/run-errors.js";
import type { StepOutcome } from "../core/step-outcome.js";
import type { TokenUsage } from "../core/trace.js";
import type { TokenCounter } from "../context/token-counter.js";
import {
  answerMessages,
  answerNotes,
  answerSystemPrompt,
  answerUserMessage,
  extractCitations,
} from "./answer-prompt.js";
import type { AnswerPrefill } from "./answer-prefill.js";
import { AnswerAborted, streamAnswer } from "./stream-answer.js";

export interface AnswerStageInput {
  model: LanguageModel;
  outcomes: StepOutcome[];
  /** Steps whose results are not (fully) in the context. */
  droppedSteps: string[];
  prompt: string;
  context: string;
  history: ChatTurn[];
  timeoutMs: number;
  signal: AbortSignal;
  emit: EmitEvent;
  /** One more instruction line (the grounding retry names what the first answer made up). */
  extraSystem?: string;
  /** The prefill of this run, if any: a read still in flight is waited for before asking. */
  prefill?: AnswerPrefill;
}

export interface AnswerStageOutput {
  text: string;
  citations: string[];
  usage: TokenUsage;
}

/**
 * The earlier turns the local model gets: the most recent ones within the turn and character
 * limits and `maxTokens` (a share of its window, so results still fit), oldest first.
 */
export function answerHistory(
  history: readonly ChatTurn[],
  limits: { maxTurns: number; maxChars: number },
  maxTokens: number,
  counter: TokenCounter,
): ChatTurn[] {
  const { turns } = recentTurns(history, { ...limits, maxTurnChars: limits.maxChars });
  let tokens = turns.reduce((n, t) => n + counter.count(t.content), 0);
  let first = 0;
  while (first < turns.length && tokens > maxTokens) tokens -= counter.count(turns[first++].content);
  return turns.slice(first);
}

/**
 * Tokens the answer's instructions, the question, the history and the framing take, before any
 * result (notes about failed steps are counted with the results).
 */
export function answerFixedTokens(prompt: string, history: ChatTurn[], counter: TokenCounter): number {
  return (
    counter.count(answerSystemPrompt()) +
    counter.count(answerUserMessage(prompt, "x", "")) +
    history.reduce((n, h) => n + counter.count(h.content), 0) +
    32
  );
}

/** How long the answer waits for a prefill read in flight (it is the prompt's own prefix). */
const PREFILL_SETTLE_MS = 2_000;

/**
 * The answer stage: the local model answers from the context, streaming text deltas as events.
 * Runs entirely on the local model: nothing here goes to the cloud.
 */
export async function answerStage(input: AnswerStageInput): Promise<AnswerStageOutput> {
  const { signal } = input;
  const timeout = AbortSignal.timeout(input.timeoutMs);
  let text = "";
  try {
    await input.prefill?.settle(PREFILL_SETTLE_MS);
    const out = await streamAnswer({
      model: input.model,
      // A grounding retry adds one instruction line (the retry then reads its prompt afresh).
      system: [answerSystemPrompt(), input.extraSystem].filter(Boolean).join("\n"),
      messages: answerMessages(
        input.prompt,
        input.context,
        input.history,
        answerNotes(input.outcomes, input.droppedSteps),
      ),
      abortSignal: AbortSignal.any([signal, timeout]),
      onDelta: (delta) => {
        text += delta;
        input.emit({ type: "text-delta", text: delta });
      },
    });
    const okSteps = input.outcomes.filter((o) => o.status === "ok").map((o) => o.step.id);
    return {
      text: out.text,
      citations: extractCitations(out.text, okSteps),
      usage: {
        inputTokens: out.inputTokens,
        outputTokens: out.outputTokens,
        ...(out.cachedInputTokens ? { cachedInputTokens: out.cachedInputTokens } : {}),
      },
    };
  } catch (error) {
    if (error instanceof AnswerAborted)
      throw signal.aborted
        ? new RunCancelledError(signal.reason)
        : new GeneratorError(`The local model did not finish within ${input.timeoutMs} ms.`);
    throw localModelError(error, signal, text ? "mid-answer" : "");
  }
}

/** A single local answer to a self-contained prompt (no tools, no context, no cloud). */
export async function answerLocally(
  model: LanguageModel,
  prompt: string,
  options: { signal?: AbortSignal; maxOutputTokens?: number; timeoutMs: number },
): Promise<{ text: string; usage: TokenUsage }> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const result = await generateText({
      model,
      prompt,
      maxOutputTokens: options.maxOutputTokens,
      abortSignal: signal,
      maxRetries: 0,
    });
    return {
      text: result.text,
      usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 },
    };
  } catch (error) {
    if (options.signal?.aborted) throw new RunCancelledError(options.signal.reason);
    if (timeout.aborted)
      throw new GeneratorError(`The local model did not finish within ${options.timeoutMs} ms.`);
    throw localModelError(error, options.signal ?? timeout, "");
  }
}
