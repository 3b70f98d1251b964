import type { ChatTurn } from "../core/chat-turn.js";
import type { StepOutcome } from "../core/step-outcome.js";

export function answerSystemPrompt(outcomes: StepOutcome[], droppedSteps: string[]): string {
  const failed = outcomes
    .filter((o) => o.status !== "ok")
    .map((o) => `${o.step.id} (${o.step.tool}: ${o.status})`);
  const lines = [
    "You answer the user's question using only the lookup results in the context.",
    "Cite the lookups you used by their ids in square brackets, like [s1] or [s2]; for a document passage add its label, like [s2 · handbook.pdf p.12].",
    "If the context does not contain the answer, say that you do not know; never make up facts.",
  ];
  if (failed.length)
    lines.push(
      `These lookups did not succeed, so their information is missing: ${failed.join(", ")}. Say so if it matters.`,
    );
  if (droppedSteps.length)
    lines.push(`Parts of these results did not fit and are not shown: ${droppedSteps.join(", ")}.`);
  return lines.join("\n");
}

export function answerMessages(prompt: string, context: string, history: ChatTurn[] = []): ChatTurn[] {
  const body = context.trim()
    ? `Context:\n${context}\n\nQuestion: ${prompt}`
    : `Context: (no lookups were needed or made)\n\nQuestion: ${prompt}`;
  return [...history.map((t) => ({ role: t.role, content: t.content })), { role: "user", content: body }];
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
