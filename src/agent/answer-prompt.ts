import type { ChatTurn } from "../core/chat-turn.js";
import type { StepOutcome } from "../core/step-outcome.js";

const SYSTEM = [
  "You answer the user's question using only the lookup results in the context.",
  "Cite the lookups you used by their ids in square brackets, like [s1] or [s2]; for a document passage add its label, like [s2 · handbook.pdf p.12].",
  "If the context does not contain the answer, say that you do not know; never make up facts.",
].join("\n");

/**
 * The answer prompt is laid out so that what is known first comes first: the fixed instructions,
 * the earlier turns, the question, then the lookup results as they arrive, and last what is known
 * only at the end (which lookups failed or were cut, and the closing instruction). Everything up to
 * the results so far is a prefix of the final prompt, which the local model can read while the
 * cloud plans and the tools run (prefill while waiting).
 */
export function answerSystemPrompt(): string {
  return SYSTEM;
}

const NO_LOOKUPS = "(no lookups were needed or made)";
const CLOSING = "Answer the question above from these results.";

/** The start of the user message, up to and including the results shown so far. */
export function answerPrefix(prompt: string, resultsText: string): string {
  return `Question: ${prompt}\n\nLookup results:\n${resultsText ? `${resultsText}\n\n` : ""}`;
}

/** What only the end of the run knows: failed and cut lookups. */
export function answerNotes(outcomes: StepOutcome[], droppedSteps: string[]): string {
  const failed = outcomes
    .filter((o) => o.status !== "ok")
    .map((o) => `${o.step.id} (${o.step.tool}: ${o.status})`);
  const lines: string[] = [];
  if (failed.length)
    lines.push(
      `These lookups did not succeed, so their information is missing: ${failed.join(", ")}. Say so if it matters.`,
    );
  if (droppedSteps.length)
    lines.push(`Parts of these results did not fit and are not shown: ${droppedSteps.join(", ")}.`);
  return lines.join("\n");
}

/** The whole user message: `answerPrefix` of the context, then the notes and the closing line. */
export function answerUserMessage(prompt: string, context: string, notes: string): string {
  const body = context.trim() ? `${context}\n\n` : `${NO_LOOKUPS}\n\n`;
  return `Question: ${prompt}\n\nLookup results:\n${body}${notes ? `${notes}\n\n` : ""}${CLOSING}`;
}

export function answerMessages(
  prompt: string,
  context: string,
  history: ChatTurn[] = [],
  notes = "",
): ChatTurn[] {
  return [
    ...history.map((t) => ({ role: t.role, content: t.content })),
    { role: "user", content: answerUserMessage(prompt, context, notes) },
  ];
}

/** Step ids cited in the answer ([s1], [s1, s3], [s2 · handbook.pdf p.4]) that exist in the plan. */
export function extractCitations(text: string, stepIds: Iterable<string>): string[] {
  const known = new Set(stepIds);
  const found = new Set<string>();
  for (const group of text.matchAll(/\[([^\]]{1,200})\]/g)) {
    for (const id of group[1].match(/[A-Za-z][\w-]*/g) ?? []) if (known.has(id)) found.add(id);
  }
  return [...found];
}
