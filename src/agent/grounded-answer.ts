import type { EmitEvent } from "../core/events.js";
import type { Grounding, OnUngrounded, UngroundedSpan } from "../core/grounding.js";
import type { TokenUsage } from "../core/trace.js";
import { checkGrounding, groundingSources } from "../grounding/check-grounding.js";
import { type AnswerStageInput, type AnswerStageOutput, answerStage } from "./answer-stage.js";

export interface GroundedAnswerInput extends AnswerStageInput {
  /** What to do when the answer holds values the context does not: flag (default), retry once, refuse. */
  onUngrounded: OnUngrounded;
  /** Called once the check is done (the trace's `grounding` stage time). */
  onChecked?: (ms: number) => void;
}

export interface GroundedAnswer extends AnswerStageOutput {
  grounding: Grounding;
}

/** The message a refused answer is replaced by. */
export const REFUSED_ANSWER =
  "I can't give a reliable answer: the local model's answer stated values that are not in the data flm looked up, so it was withheld. Try rephrasing the question, or ask for the underlying records.";

/**
 * The answer stage followed by the grounding check (local, never sent anywhere). With `flag` the
 * answer streams as it is written and the check only reports. With `retry` or `refuse` the answer
 * is held back until checked (a user must not read what is then withdrawn): `retry` asks the local
 * model once more, naming the unsupported spans; `refuse` replaces the answer with a clear message.
 */
export async function groundedAnswer(input: GroundedAnswerInput): Promise<GroundedAnswer> {
  const { onUngrounded, emit } = input;
  const hold = onUngrounded !== "flag";
  const quiet: EmitEvent = (event) => {
    if (event.type !== "text-delta") emit(event);
  };
  const stage = (extraSystem?: string) => answerStage({ ...input, emit: hold ? quiet : emit, extraSystem });

  const t0 = performance.now();
  let checkMs = 0;
  const sources = groundingSources({
    context: input.context,
    prompt: input.prompt,
    history: input.history.map((h) => h.content),
    outcomes: input.outcomes,
  });
  const check = (text: string) => {
    const t = performance.now();
    const g = checkGrounding(
      { answer: text, context: input.context, prompt: input.prompt, outcomes: input.outcomes },
      sources,
    );
    checkMs += performance.now() - t;
    return g;
  };
  checkMs += performance.now() - t0;

  let answer = await stage();
  let grounding = check(answer.text);
  const usage: TokenUsage = { ...answer.usage };
  if (grounding.ungrounded.length && onUngrounded === "retry") {
    const second = await stage(retryInstruction(grounding.ungrounded));
    usage.inputTokens += second.usage.inputTokens;
    usage.outputTokens += second.usage.outputTokens;
    if (second.usage.cachedInputTokens)
      usage.cachedInputTokens = (usage.cachedInputTokens ?? 0) + second.usage.cachedInputTokens;
    answer = second;
    grounding = { ...check(second.text), action: "retried" };
  } else if (grounding.ungrounded.length) {
    grounding = { ...grounding, action: onUngrounded === "refuse" ? "refused" : "flagged" };
  }
  let { text, citations } = answer;
  if (grounding.action === "refused") {
    text = REFUSED_ANSWER;
    citations = [];
  }
  if (hold && text) emit({ type: "text-delta", text });
  input.onChecked?.(checkMs);
  emit({ type: "grounding", grounding });
  return { text, citations, usage, grounding };
}

/** The system line of the second attempt: which spans were not in the context. */
export function retryInstruction(spans: UngroundedSpan[]): string {
  const named = spans
    .slice(0, 12)
    .map((s) => (s.kind === "citation" ? `${s.text} (${s.reason})` : JSON.stringify(s.text)))
    .join(", ");
  return `Your previous answer stated things that are not in the context: ${named}. Answer again using only values that appear in the context and cite only lookups that returned data; where the context does not say, say that you do not know.`;
}
